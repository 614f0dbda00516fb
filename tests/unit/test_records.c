#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "records.h"

#define HEADER "test header 1"

/* Three records, one with an empty value. */
static void make_records(cl_buf *out)
{
    assert_int_equal(cl_records_begin(out, HEADER), 0);
    assert_int_equal(cl_records_add(out, "alpha", 5, "one", 3), 0);
    assert_int_equal(cl_records_add(out, "beta", 4, "", 0), 0);
    assert_int_equal(cl_records_add(out, "gamma", 5, "three", 5), 0);
    assert_int_equal(cl_records_end(out), 0);
}

static void test_records_read_back_in_order(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    make_records(&b);
    cl_records r;
    assert_int_equal(cl_records_open(&r, b.data, b.len, HEADER), 0);
    const char *keys[] = { "alpha", "beta", "gamma" }, *values[] = { "one", "", "three" };
    const void *k, *v;
    size_t kl, vl;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cl_records_next(&r, &k, &kl, &v, &vl), 1);
        assert_int_equal(kl, strlen(keys[i]));
        assert_memory_equal(k, keys[i], kl);
        assert_int_equal(vl, strlen(values[i]));
        assert_memory_equal(v, values[i], vl);
    }
    assert_int_equal(cl_records_next(&r, &k, &kl, &v, &vl), 0);
    cl_buf_free(&b);
}

static void test_records_find_by_exact_key(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    make_records(&b);
    cl_records r;
    assert_int_equal(cl_records_open(&r, b.data, b.len, HEADER), 0);
    const void *v;
    size_t vl;
    assert_int_equal(cl_records_find(&r, "gamma", 5, &v, &vl), 1);
    assert_memory_equal(v, "three", 5);
    assert_int_equal(cl_records_find(&r, "gamm", 4, &v, &vl), 0);
    assert_int_equal(cl_records_find(&r, "gammas", 6, &v, &vl), 0);
    cl_buf_free(&b);
}

static void test_records_refuse_another_header(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    make_records(&b);
    cl_records r;
    assert_int_equal(cl_records_open(&r, b.data, b.len, "test header 2"), -1);
    assert_int_equal(cl_records_open(&r, b.data, b.len, "test header"), -1);
    const void *k, *v;
    size_t kl, vl;
    assert_int_equal(cl_records_next(&r, &k, &kl, &v, &vl), 0);
    cl_buf_free(&b);
}

/* Every prefix, and the whole with a byte too many, is refused. */
static void test_records_refuse_truncated_or_extended_bytes(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    make_records(&b);
    cl_records r;
    for (size_t len = 0; len < b.len; len++)
        if (cl_records_open(&r, b.data, len, HEADER) == 0)
            fail_msg("a %zu-byte prefix of %zu bytes was taken", len, b.len);
    cl_buf_append_char(&b, 'x');
    assert_int_equal(cl_records_open(&r, b.data, b.len, HEADER), -1);
    assert_int_equal(cl_records_open(&r, NULL, 0, HEADER), -1);
    cl_buf_free(&b);
}

/* Any one bit flipped anywhere is caught. */
static void test_records_refuse_any_flipped_bit(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    make_records(&b);
    cl_records r;
    for (size_t i = 0; i < b.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            b.data[i] ^= (char)(1 << bit);
            if (cl_records_open(&r, b.data, b.len, HEADER) == 0)
                fail_msg("byte %zu bit %d flipped was taken", i, bit);
            b.data[i] ^= (char)(1 << bit);
        }
    }
    assert_int_equal(cl_records_open(&r, b.data, b.len, HEADER), 0);
    cl_buf_free(&b);
}

/* A record claiming more bytes than there are is refused even under a
 * digest that matches (written by hand here). */
static void test_records_refuse_a_record_past_the_end(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    assert_int_equal(cl_records_begin(&b, HEADER), 0);
    const unsigned char huge[8] = { 0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0 };
    cl_buf_append(&b, (const char *)huge, sizeof huge);
    cl_buf_append(&b, "k", 1);
    assert_int_equal(cl_records_end(&b), 0);
    cl_records r;
    assert_int_equal(cl_records_open(&r, b.data, b.len, HEADER), -1);
    cl_buf_free(&b);
}

static void test_records_digest_depends_on_every_byte_and_length(void **state)
{
    (void)state;
    const char a[] = "0123456789abcdefXYZ";
    uint64_t d = cl_records_digest(a, sizeof a - 1);
    assert_true(d != cl_records_digest(a, sizeof a - 2));
    assert_true(cl_records_digest("", 0) != cl_records_digest("\0", 1));
    char b[sizeof a];
    memcpy(b, a, sizeof a);
    b[17] = 'z';
    assert_true(d != cl_records_digest(b, sizeof a - 1));
    assert_true(d == cl_records_digest(a, sizeof a - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_read_back_in_order),
        cmocka_unit_test(test_records_find_by_exact_key),
        cmocka_unit_test(test_records_refuse_another_header),
        cmocka_unit_test(test_records_refuse_truncated_or_extended_bytes),
        cmocka_unit_test(test_records_refuse_any_flipped_bit),
        cmocka_unit_test(test_records_refuse_a_record_past_the_end),
        cmocka_unit_test(test_records_digest_depends_on_every_byte_and_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
