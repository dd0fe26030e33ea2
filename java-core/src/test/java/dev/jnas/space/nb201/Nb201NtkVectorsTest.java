package dev.jnas.space.nb201;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jnas.bindings.Backend;
import dev.jnas.bindings.BnCoupling;
import dev.jnas.bindings.Engine;
import dev.jnas.bindings.Net;
import dev.jnas.bindings.ParamRole;
import dev.jnas.bindings.Spectrum;
import dev.jnas.bindings.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The NTK of the NB201 κ network against ../shared/vectors: Θ with batch-norm statistics differentiated
 * (exact) and constant (frozen), its eigenvalues and κ, from the file's weights and inputs, with J over the
 * default parameter set (which must be the file's jacobian_params).
 */
class Nb201NtkVectorsTest {
    /** float32 Θ against float64 ground truth: max |error| over max |Θ|. */
    private static final double THETA_TOLERANCE = 1e-4;
    /** Each eigenvalue and κ, relative. */
    private static final double SPECTRUM_TOLERANCE = 1e-3;

    @ParameterizedTest(name = "nb201-{0}")
    @FieldSource("dev.jnas.space.nb201.Nb201VectorFile#INDICES")
    void ntkMatchesTheVectors(int index) {
        Nb201VectorFile file = Nb201VectorFile.read(index);
        JsonNode section = file.ntk();
        try (Engine engine = Engine.open(Backend.CPU)) {
            Net net = file.load(engine, Nb201Skeleton.NTK, section).net();
            assertEquals(names(section.get("jacobian_params")), defaultJacobianParams(net),
                    "nb201-" + index + ": the default NTK parameter set");
            check(engine, net, BnCoupling.EXACT, section, "exact", index);
            check(engine, net, BnCoupling.FROZEN, section, "frozen", index);
        }
    }

    private static void check(Engine engine, Net net, BnCoupling coupling, JsonNode section, String mode, int index) {
        double[][] expected = Nb201VectorFile.matrix(section.get("theta_" + mode));
        try (Tensor theta = net.ntk(coupling)) {
            float[] values = theta.read();
            double maxError = 0;
            double maxTheta = 0;
            for (int i = 0; i < expected.length; i++) {
                for (int j = 0; j < expected.length; j++) {
                    maxError = Math.max(maxError, Math.abs(values[i * expected.length + j] - expected[i][j]));
                    maxTheta = Math.max(maxTheta, Math.abs(expected[i][j]));
                }
            }
            Spectrum spectrum = engine.spectrum(theta);
            double[] eigenvalues = spectrum.eigenvalues();
            double[] expectedEigenvalues = Nb201VectorFile.doubles(section.get("eigenvalues_" + mode));
            double eigenError = 0;
            for (int i = 0; i < eigenvalues.length; i++) {
                eigenError = Math.max(eigenError, relative(eigenvalues[i], expectedEigenvalues[i]));
            }
            double kappaError = relative(spectrum.kappa(), section.get("kappa_" + mode).asDouble());
            System.out.printf("nb201-%d %s: Θ max error / max |Θ| %.2e, eigenvalues %.2e, κ = %.6g (error %.2e)%n",
                    index, mode, maxError / maxTheta, eigenError, spectrum.kappa(), kappaError);
            String where = "nb201-" + index + " " + mode;
            assertTrue(maxError / maxTheta <= THETA_TOLERANCE, where + ": Θ relative error " + maxError / maxTheta);
            assertTrue(spectrum.isValid(), where + ": spectrum flags " + spectrum.flags());
            assertTrue(eigenError <= SPECTRUM_TOLERANCE, where + ": eigenvalue relative error " + eigenError);
            assertTrue(kappaError <= SPECTRUM_TOLERANCE, where + ": κ relative error " + kappaError);
        }
    }

    private static double relative(double value, double truth) {
        return Math.abs(value - truth) / Math.abs(truth);
    }

    /** What jnas_net_ntk takes when given no parameters: every WEIGHT and BN_WEIGHT, in parameter order. */
    private static List<String> defaultJacobianParams(Net net) {
        List<String> names = new ArrayList<>();
        for (int slot = 0; slot < net.paramCount(); slot++) {
            ParamRole role = net.paramRole(slot);
            if (role == ParamRole.WEIGHT || role == ParamRole.BN_WEIGHT) {
                names.add(net.paramName(slot));
            }
        }
        return names;
    }

    private static List<String> names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return names;
    }
}
