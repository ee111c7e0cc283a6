/* Tests of util: the values other modules and other runs rely on. */
#include <criterion/criterion.h>
#include <string.h>

#include "util.h"

/* The shard of a unit is hash_fnv1a64(id) % N + 1, and shard runs on
 * different machines and versions must agree, so these values are pinned.
 * The offset basis is 1469598103934665603, not FNV's 14695981039346656037
 * (a digit short since the first version): kept, because changing it would
 * move units between shards of runs already made. */
Test(util, hash_fnv1a64_is_pinned)
{
    cr_assert_eq(hash_fnv1a64(""), 0x14650fb0739d0383ULL);
    cr_assert_eq(hash_fnv1a64("a"), 0x44bd8ad473cd9906ULL);
    cr_assert_eq(hash_fnv1a64("foobar"), 0x88fad7c0a8ff07f2ULL);
    cr_assert_eq(hash_fnv1a64("U001"), 0x8538ce542bbcb8f9ULL);
    cr_assert_eq(hash_fnv1a64("单位-7"), 0x5b193ca9eee8ed5eULL, "bytes of UTF-8, not characters");
    cr_assert_eq(hash_fnv1a64("U001") % 8 + 1, 2, "U001 is in shard 2 of 8");
}

Test(util, fix6_share_rounds_half_up)
{
    cr_assert_eq(fix6_share(1, 3), 333333);
    cr_assert_eq(fix6_share(2, 3), 666667);
    cr_assert_eq(fix6_share(1, 8), 125000);
    cr_assert_eq(fix6_share(1, 2000000), 1, "0.0000005 rounds up to 0.000001");
    cr_assert_eq(fix6_share(1, 2000001), 0);
    cr_assert_eq(fix6_share(3, 3), FIX_ONE);
    cr_assert_eq(fix6_share(5, 0), 0, "no denominator: 0");
    cr_assert_eq(fix6_share(5, -1), 0);
    cr_assert_eq(fix6_share(1000000000L, 3), 333333333333333LL, "no overflow for large counts");
}

Test(util, parse_int_range_is_strict)
{
    long long v = -1;
    cr_assert(parse_int_range("0", 0, 10, &v) && v == 0);
    cr_assert(parse_int_range("-5", -10, 10, &v) && v == -5);
    cr_assert(parse_int_range("10", 0, 10, &v) && v == 10);
    v = 42;
    cr_assert_not(parse_int_range("11", 0, 10, &v));
    cr_assert_not(parse_int_range("-1", 0, 10, &v));
    cr_assert_not(parse_int_range("", 0, 10, &v));
    cr_assert_not(parse_int_range(NULL, 0, 10, &v));
    cr_assert_not(parse_int_range("5x", 0, 10, &v));
    cr_assert_not(parse_int_range("5 ", 0, 10, &v));
    cr_assert_not(parse_int_range("99999999999999999999", 0, 1LL << 62, &v), "overflow is refused");
    cr_assert_eq(v, 42, "a refused value leaves *out alone");
}

Test(util, utf8_valid_refuses_what_is_not_utf8)
{
    cr_assert(utf8_valid("", 0));
    cr_assert(utf8_valid("abc", 3));
    cr_assert(utf8_valid("张三", strlen("张三")));
    cr_assert(utf8_valid("\xF0\xA0\xAE\xB7", 4), "U+20BB7 𠮷");
    cr_assert(utf8_valid("\xF4\x8F\xBF\xBF", 4), "U+10FFFF");
    cr_assert_not(utf8_valid("\xC0\xAF", 2), "overlong /");
    cr_assert_not(utf8_valid("\xE0\x80\xAF", 3), "overlong 3-byte");
    cr_assert_not(utf8_valid("\xF0\x80\x80\xAF", 4), "overlong 4-byte");
    cr_assert_not(utf8_valid("\xED\xA0\x80", 3), "surrogate U+D800");
    cr_assert_not(utf8_valid("\xF4\x90\x80\x80", 4), "above U+10FFFF");
    cr_assert_not(utf8_valid("\xE5\xBC", 2), "truncated");
    cr_assert_not(utf8_valid("\x80", 1), "lone continuation");
    cr_assert_not(utf8_valid("\xFF", 1));
    cr_assert_not(utf8_valid("a\xE5" "b", 3), "non-continuation inside a sequence");
}
