// java_random.hpp — java.util.Random as its specification defines it (a 48-bit linear congruential generator,
// nextDouble from 26 + 27 bits, nextGaussian by the polar method in pairs), because `jnas score` draws its Gaussian
// probe batches with it: the native scorer must draw the same floats to give the same scores.
//
// The polar method takes log(s); Java uses StrictMath.log (fdlibm) and this uses the C library's log. Both are
// within one ulp of the true value but not always the same ulp: about 3% of the doubles drawn differ in their last
// bit (the first draw of seed 42 does; 6,351 of seed 1234's first 200,000, none of whose floats differ). The
// scorer keeps floats, which differ only when such a double lies within one ulp of a float rounding boundary
// (about 2⁻²⁹ of them), so a score's ~700,000 draws match `jnas score`'s bit for bit but for a chance of about
// 4·10⁻⁵.
#pragma once

#include <cmath>
#include <cstdint>

namespace jnas {

class JavaRandom {
public:
    explicit JavaRandom(uint64_t seed) : state_((seed ^ kMultiplier) & kMask) {}

    double next_double() {
        uint64_t high = next(26), low = next(27);
        return double((high << 27) + low) * 0x1.0p-53;
    }

    double next_gaussian() {
        if (have_spare_) {
            have_spare_ = false;
            return spare_;
        }
        double v1, v2, s;
        do {
            v1 = 2 * next_double() - 1;
            v2 = 2 * next_double() - 1;
            s = v1 * v1 + v2 * v2;
        } while (s >= 1 || s == 0);
        double multiplier = std::sqrt(-2 * std::log(s) / s);
        spare_ = v2 * multiplier;
        have_spare_ = true;
        return v1 * multiplier;
    }

private:
    static constexpr uint64_t kMultiplier = 0x5DEECE66Dull;
    static constexpr uint64_t kMask = (uint64_t(1) << 48) - 1;

    // The top `bits` bits of the next 48-bit state (bits <= 32).
    uint64_t next(int bits) {
        state_ = (state_ * kMultiplier + 0xBull) & kMask;
        return state_ >> (48 - bits);
    }

    uint64_t state_;
    double spare_ = 0;
    bool have_spare_ = false;
};

}  // namespace jnas
