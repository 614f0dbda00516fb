/*
 * Unit tests: memory per input byte (issue 12, defect 10).
 *
 * A document of tiny paragraphs ("x\n\n", "<p>x</p>") has a block per few
 * input bytes, so whatever a stage keeps per block shows up as a multiple
 * of the input: 6 MB of "x\n\n" once took 1.2 GB and failed under the
 * daemon's default worker_memory (1 GB of RLIMIT_AS).  Each case cleans and
 * renders 6 MB in a forked child whose address space may grow, over what
 * it had before the clean, by at most a bound proportional to the input:
 * RLIMIT_AS, as the daemon's workers have, so allocations past the bound
 * fail and cl_clean() reports them.  The child also reports how far its
 * address space grew (VmPeak), which the log shows.
 *
 * AddressSanitizer reserves terabytes of address space for its shadow, so
 * RLIMIT_AS cannot be used under it: the build/asan run skips these cases
 * and says why.  Paths are relative to the repository root, where
 * scripts/run-tests.sh runs the tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "cleaner.h"
#include "render.h"
#include "shipped_rules.h"


#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#else
#define UNDER_ASAN 0
#endif

/* The input size. */
#define INPUT_BYTES ((size_t)6 << 20)

/*
 * Address space a clean may take, per input byte and in all; the figures
 * measured here on 6 MB are in the comments.  Text and Markdown: a block
 * is 32 bytes and its text its bytes and a NUL (doc.h), so "x\n" lines, a
 * block per 2 bytes, the most any input has, need 17 bytes a byte, up to
 * 16 more while the blocks array has just doubled, and the rendered text
 * up to 3 (x\n\n: 13.2; x\n: 26.4; Markdown x\n\n, md4c's own arrays
 * included: 20.0).  HTML: Gumbo's parse alone takes 49 bytes a byte of
 * "<p>x</p>" (two nodes of 128 bytes an element, their malloc headers and
 * the allocator's slack); the flat page model the walk builds beside the
 * tree takes 15 more (64.8 in all).  MEMORY_FIXED covers the allocator's
 * arenas and the rules' match buffers.
 */
#define MEMORY_FLAT_PER_BYTE 32
#define MEMORY_HTML_PER_BYTE 72
#define MEMORY_FIXED         ((size_t)16 << 20)

/* ---- helpers ------------------------------------------------------------- */


/* `unit` repeated to INPUT_BYTES. */
static void repeat_to_size(const char *unit, cl_buf *out)
{
    size_t n = strlen(unit);
    cl_buf_reserve(out, INPUT_BYTES);
    while (out->len + n <= INPUT_BYTES)
        cl_buf_append(out, unit, n);
    assert_false(out->oom);
}

/* A field of /proc/self/status in bytes ("VmSize", "VmPeak"), or 0. */
static size_t vm_bytes(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t kb = 0, n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            kb = strtoull(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return kb * 1024;
}

/* What the child reports through its pipe. */
typedef struct child_report {
    int    rc;      /* 0: cleaned and rendered; -1: cl_clean failed */
    size_t grown;   /* bytes the address space grew by, at its peak */
    char   msg[CL_ERROR_MAX];
} child_report;

/* In the child: clean `input` under an address-space limit of `budget`
 * bytes over what it has now, and report. */
static void child_clean(const cl_cleaner *c, const cl_buf *input, const char *name,
                        size_t budget, int fd)
{
    child_report r = { 0, 0, "" };
    size_t start = vm_bytes("VmSize");
    struct rlimit lim = { start + budget, start + budget };
    cl_doc *doc = NULL;
    cl_error err = { "" };
    cl_buf out = CL_BUF_INIT;
    if (start == 0 || setrlimit(RLIMIT_AS, &lim) < 0)
        snprintf(r.msg, sizeof r.msg, "cannot read VmSize or set RLIMIT_AS");
    else if (cl_clean(c, input->data, input->len, name, &doc, &err) < 0)
        snprintf(r.msg, sizeof r.msg, "%s", err.msg);
    else if (cl_render_text(doc, &out) < 0)
        snprintf(r.msg, sizeof r.msg, "out of memory rendering");
    r.rc = r.msg[0] ? -1 : 0;
    r.grown = vm_bytes("VmPeak") - start;
    if (write(fd, &r, sizeof r) != (ssize_t)sizeof r)
        _exit(2);
    _exit(0);  /* no cleanup: the parent only wants the report */
}

/*
 * Cleans `unit` repeated to 6 MB, named `name` (the format is detected
 * from it), in a child allowed per_byte bytes of address space per input
 * byte plus MEMORY_FIXED, with the shipped rules or none.
 */
static void clean_within_budget(const char *unit, const char *name, size_t per_byte,
                                int with_rules)
{
    if (UNDER_ASAN) {
        print_message("    skipped: RLIMIT_AS cannot bound a process under AddressSanitizer, "
                      "whose shadow memory is terabytes of address space\n");
        skip();
    }
    cl_buf input = CL_BUF_INIT;
    repeat_to_size(unit, &input);
    cl_cleaner *c = cl_cleaner_new(NULL, with_rules ? shipped_rules() : NULL);
    assert_non_null(c);
    size_t budget = per_byte * input.len + MEMORY_FIXED;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child_clean(c, &input, name, budget, fds[1]);
    }
    close(fds[1]);
    child_report r;
    ssize_t got = read(fds[0], &r, sizeof r);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    cl_cleaner_free(c);
    cl_buf_free(&input);
    if (got != (ssize_t)sizeof r)
        fail_msg("%s: the child died without a report (status %d)", name, status);
    print_message("    %-10s %s rules: address space grew %zu MB for %zu MB of input "
                  "(%.1f bytes a byte; budget %zu a byte + %zu MB)\n", name,
                  with_rules ? "shipped" : "no", r.grown >> 20, INPUT_BYTES >> 20,
                  (double)r.grown / (double)INPUT_BYTES, per_byte, MEMORY_FIXED >> 20);
    if (r.rc != 0)
        fail_msg("%s: not cleaned within %zu MB: %s", name, budget >> 20, r.msg);
}

/* ---- tests --------------------------------------------------------------- */

static void test_text_of_tiny_paragraphs_fits_the_flat_budget(void **state)
{
    (void)state;
    clean_within_budget("x\n\n", "x.txt", MEMORY_FLAT_PER_BYTE, 0);
}

/* A text without blank lines is one paragraph a line: a block per 2 bytes,
 * the most blocks any input gives. */
static void test_text_of_one_letter_lines_fits_the_flat_budget(void **state)
{
    (void)state;
    clean_within_budget("x\n", "x.txt", MEMORY_FLAT_PER_BYTE, 0);
}

static void test_markdown_of_tiny_paragraphs_fits_the_flat_budget(void **state)
{
    (void)state;
    clean_within_budget("x\n\n", "x.md", MEMORY_FLAT_PER_BYTE, 0);
}

static void test_html_of_tiny_paragraphs_fits_the_html_budget(void **state)
{
    (void)state;
    clean_within_budget("<p>x</p>", "x.html", MEMORY_HTML_PER_BYTE, 0);
}

/* The daemon's configuration: every block is also matched against the
 * shipped rules. */
static void test_tiny_paragraphs_with_the_shipped_rules_fit_the_flat_budget(void **state)
{
    (void)state;
    clean_within_budget("x\n\n", "x.txt", MEMORY_FLAT_PER_BYTE, 1);
}

static void test_html_with_the_shipped_rules_fits_the_html_budget(void **state)
{
    (void)state;
    clean_within_budget("<p>x</p>", "x.html", MEMORY_HTML_PER_BYTE, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_of_tiny_paragraphs_fits_the_flat_budget),
        cmocka_unit_test(test_text_of_one_letter_lines_fits_the_flat_budget),
        cmocka_unit_test(test_markdown_of_tiny_paragraphs_fits_the_flat_budget),
        cmocka_unit_test(test_html_of_tiny_paragraphs_fits_the_html_budget),
        cmocka_unit_test(test_tiny_paragraphs_with_the_shipped_rules_fit_the_flat_budget),
        cmocka_unit_test(test_html_with_the_shipped_rules_fits_the_html_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
