/*
 * score.c — scores NAS-Bench-201 architectures through libjnas's C ABI alone, and prints the rows `jnas score
 * --dataset synthetic` prints for the same options (without its index and seconds columns): numbers as %.17g, the
 * non-finite ones and the flags as Java writes them.
 *
 * Usage: score [--seed S] [--batch B] [--repeat R] [--init pytorch-default|kaiming-normal]
 *              [--bn-coupling frozen|exact] ARCH...
 * Build: cc score.c $(pkg-config --cflags --libs jnas) -o score
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jnas.h"

static int usage(const char* problem) {
    fprintf(stderr, "score: %s\nusage: score [--seed S] [--batch B] [--repeat R] "
                    "[--init pytorch-default|kaiming-normal] [--bn-coupling frozen|exact] ARCH...\n", problem);
    return 2;
}

/* A CSV field: %.17g, which reads back as the same double, or NaN, Infinity, -Infinity as in Java. */
static void print_number(double value) {
    if (isnan(value)) printf("NaN,");
    else if (isinf(value)) printf("%sInfinity,", value < 0 ? "-" : "");
    else printf("%.17g,", value);
}

/* The flags as `jnas score` names them, joined by '+'. */
static void print_flags(unsigned flags) {
    static const unsigned bits[] = {JNAS_SPECTRUM_NONPOSITIVE_MIN, JNAS_SPECTRUM_NONFINITE,
                                    JNAS_SPECTRUM_NOT_CONVERGED, JNAS_NB201_NASWOT_SINGULAR};
    static const char* names[] = {"ntk-nonpositive-min", "ntk-nonfinite", "ntk-not-converged", "naswot-singular"};
    const char* separator = "";
    for (int i = 0; i < 4; ++i) {
        if (flags & bits[i]) {
            printf("%s%s", separator, names[i]);
            separator = "+";
        }
    }
}

/* Parses "--name value" pairs into options; returns the index of the first architecture, or -1. */
static int parse_options(int argc, char** argv, jnas_nb201_score_options* options) {
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char* name = argv[i];
        const char* value = argv[i + 1];
        char* end = NULL;
        if (strcmp(name, "--seed") == 0) options->seed = (uint64_t)strtoll(value, &end, 10);
        else if (strcmp(name, "--batch") == 0) options->batch = (int)strtol(value, &end, 10);
        else if (strcmp(name, "--repeat") == 0) options->repeats = (int)strtol(value, &end, 10);
        else if (strcmp(name, "--init") == 0 && strcmp(value, "pytorch-default") == 0)
            options->init = JNAS_INIT_PYTORCH_DEFAULT;
        else if (strcmp(name, "--init") == 0 && strcmp(value, "kaiming-normal") == 0)
            options->init = JNAS_INIT_KAIMING_NORMAL_FAN_IN;
        else if (strcmp(name, "--bn-coupling") == 0 && strcmp(value, "frozen") == 0)
            options->coupling = JNAS_BN_COUPLING_FROZEN;
        else if (strcmp(name, "--bn-coupling") == 0 && strcmp(value, "exact") == 0)
            options->coupling = JNAS_BN_COUPLING_EXACT;
        else {
            fprintf(stderr, "score: unknown option or value: %s %s\n", name, value);
            return -1;
        }
        if (end != NULL && (*end != '\0' || end == value)) {
            fprintf(stderr, "score: %s needs a whole number, got '%s'\n", name, value);
            return -1;
        }
    }
    return i;
}

int main(int argc, char** argv) {
    jnas_nb201_score_options options;
    jnas_nb201_score_options_default(&options);
    int first = parse_options(argc, argv, &options);
    if (first < 0) return usage("bad option");
    if (first >= argc) return usage("no architecture given");

    jnas_ctx* ctx = NULL;
    if (jnas_ctx_create(JNAS_BACKEND_CPU, 0, &ctx) != JNAS_OK) {
        fprintf(stderr, "score: %s\n", jnas_last_error());
        return 1;
    }
    printf("arch,ntk_cond,linear_regions,naswot,flags\n");
    int status = 0;
    for (int i = first; i < argc && status == 0; ++i) {
        jnas_nb201_scores scores;
        if (jnas_nb201_score(ctx, argv[i], &options, &scores) != JNAS_OK) {
            fprintf(stderr, "score: %s\n", jnas_last_error());
            status = 1;
            break;
        }
        printf("%s,", argv[i]);
        print_number(scores.kappa);
        print_number(scores.linear_regions);
        print_number(scores.naswot);
        print_flags(scores.flags);
        printf("\n");
    }
    jnas_ctx_free(ctx);
    return status;
}
