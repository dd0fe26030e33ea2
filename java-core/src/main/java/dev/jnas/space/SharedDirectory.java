package dev.jnas.space;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared/ directory, which lies beside the repository checkout (../shared from the repository
 * root) and holds the benchmark tables and test vectors that are not copied into the repository.
 */
public final class SharedDirectory {
    public static final String PROPERTY = "jnas.shared.dir";
    private static final String NAME = "shared";

    private SharedDirectory() {
    }

    /**
     * -Djnas.shared.dir if set, else the nearest "shared" directory beside the working directory or one of its
     * ancestors: from the repository root or any module directory in it, that is ../shared of the root.
     *
     * @throws IllegalStateException when there is none
     */
    public static Path locate() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        Path workingDirectory = Path.of("").toAbsolutePath();
        for (Path dir = workingDirectory; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(NAME);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no '" + NAME + "' directory beside " + workingDirectory
                + " or any of its parents; set -D" + PROPERTY + "=DIR");
    }
}
