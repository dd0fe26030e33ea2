// check.hpp — the native tests' tiny harness: CHECK-style assertions that count failures and a main that
// runs registered cases and exits non-zero on any failure (77 = skipped, for ctest's SKIP_RETURN_CODE).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace jnas_test {

inline int& failures() { static int n = 0; return n; }

struct Case { const char* name; std::function<void()> body; };
inline std::vector<Case>& cases() { static std::vector<Case> all; return all; }
struct Register { Register(const char* name, std::function<void()> body) { cases().push_back({name, std::move(body)}); } };

inline void report(const char* file, int line, const std::string& what) {
    std::fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what.c_str());
    ++failures();
}

// |a - b| <= atol + rtol·|b|, and never NaN
inline bool close(double a, double b, double rtol, double atol) {
    return std::isfinite(a) && std::isfinite(b) && std::fabs(a - b) <= atol + rtol * std::fabs(b);
}

}  // namespace jnas_test

#define JT_CAT2(a, b) a##b
#define JT_CAT(a, b) JT_CAT2(a, b)
#define TEST_CASE(name) \
    static void JT_CAT(test_, __LINE__)(); \
    static jnas_test::Register JT_CAT(reg_, __LINE__)(name, JT_CAT(test_, __LINE__)); \
    static void JT_CAT(test_, __LINE__)()

#define CHECK(cond) do { if (!(cond)) jnas_test::report(__FILE__, __LINE__, #cond); } while (0)
#define CHECK_CLOSE(a, b, rtol, atol) do { double _a = (a), _b = (b); \
    if (!jnas_test::close(_a, _b, rtol, atol)) jnas_test::report(__FILE__, __LINE__, \
        std::string(#a " = ") + std::to_string(_a) + " vs " #b " = " + std::to_string(_b)); } while (0)
#define CHECK_OK(call) do { jnas_status _s = (call); if (_s != JNAS_OK) jnas_test::report(__FILE__, __LINE__, \
        std::string(#call " -> ") + jnas_status_name(_s) + ": " + jnas_last_error()); } while (0)
#define CHECK_STATUS(call, expected) do { jnas_status _s = (call); if (_s != (expected)) \
        jnas_test::report(__FILE__, __LINE__, std::string(#call " -> ") + jnas_status_name(_s) + \
        ", expected " #expected); } while (0)

// One main per test executable: define JNAS_TEST_MAIN in exactly one translation unit (each test is one file).
#ifdef JNAS_TEST_MAIN
int main() {
    for (auto& c : jnas_test::cases()) {
        int before = jnas_test::failures();
        c.body();
        std::printf("%s %s\n", jnas_test::failures() == before ? "ok  " : "FAIL", c.name);
    }
    std::printf("%d failure(s)\n", jnas_test::failures());
    return jnas_test::failures() == 0 ? 0 : 1;
}
#endif
