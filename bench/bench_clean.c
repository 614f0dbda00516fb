/*
 * bench_clean.c - in-process throughput of the cleaning library.
 *
 *   bench_clean [-p PASSES] [-r RULES_DIR] [-m MB] [-s html|text|markdown]
 *               HTML_GZ_DIR SEEDS_DIR
 *
 * HTML: every *.html.gz of HTML_GZ_DIR is decompressed into memory first,
 * then passes alternate between a Gumbo parse-only loop and the whole clean
 * (cl_clean + cl_render_text) over the same buffers, so noise from the
 * machine hits both alike.  Text and Markdown: the seed articles, each a
 * document of its own (Markdown: the same articles given headings, emphasis
 * and links), copied until the corpus reaches -m MB (default 50).  -s runs
 * one section only: with -p 1 and a small -m, a run short enough for
 * valgrind --tool=callgrind.
 *
 * Times are this thread's CPU time: on a shared machine, time-slicing by
 * other processes then costs nothing, while wall time would count it.
 * Figures are medians over the passes.  Nothing is asserted: the targets are
 * printed next to the figures for the reader.
 */
#include <dirent.h>
#include <errno.h>
#include <gumbo.h>
#include <md4c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "buf.h"
#include "cleaner.h"
#include "md_blocks.h"
#include "render.h"
#include "rules.h"

/* Size of the text and Markdown corpora: large enough that a pass takes a
 * fraction of a second even at several hundred MB/s. */
#define DEFAULT_CORPUS_MB 50
#define DEFAULT_PASSES 5
#define MAX_PASSES 64

typedef struct corpus {
    char  **data;
    size_t *len;
    char  **name;
    size_t  n, cap;
    size_t  bytes;
} corpus;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench_clean: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static void corpus_add(corpus *c, char *data, size_t len, const char *name)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->data = xrealloc(c->data, c->cap * sizeof *c->data);
        c->len = xrealloc(c->len, c->cap * sizeof *c->len);
        c->name = xrealloc(c->name, c->cap * sizeof *c->name);
    }
    c->data[c->n] = data;
    c->len[c->n] = len;
    c->name[c->n] = strdup(name);
    if (!c->name[c->n])
        die("out of memory", NULL);
    c->n++;
    c->bytes += len;
}

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->data[i]);
        free(c->name[i]);
    }
    free(c->data);
    free(c->len);
    free(c->name);
    memset(c, 0, sizeof *c);
}

/* ---- loading ----------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir ending with suffix, sorted so runs are comparable. */
static char **list_dir(const char *dir, const char *suffix, size_t *n)
{
    DIR *d = opendir(dir);
    if (!d)
        die(dir, strerror(errno));
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, suffix))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            names = xrealloc(names, cap * sizeof *names);
        }
        names[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, *n, sizeof *names, cmp_str);
    return names;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Reads a file whole, gunzipping it when it is gzip (gzread passes plain
 * files through). */
static char *read_file(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        die(path, "cannot open");
    size_t cap = 1 << 16;
    char *data = xrealloc(NULL, cap);
    *len = 0;
    int got;
    while ((got = gzread(f, data + *len, (unsigned)(cap - *len - 1))) > 0) {
        *len += (size_t)got;
        if (cap - *len < 4096) {
            cap *= 2;
            data = xrealloc(data, cap);
        }
    }
    if (got < 0)
        die(path, "read or decompression error");
    gzclose(f);
    data[*len] = '\0';
    return data;
}

static void load_dir(corpus *c, const char *dir, const char *suffix)
{
    size_t n;
    char **names = list_dir(dir, suffix, &n);
    char path[4096];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len;
        char *data = read_file(path, &len);
        corpus_add(c, data, len, names[i]);
    }
    free_names(names, n);
    if (c->n == 0)
        die(dir, "no input files");
}

/* The rules the daemon would load: every *.rules of the folder.  A file
 * that does not load is reported and left out, so the figures still come. */
static cl_rules *load_rules(const char *dir)
{
    cl_rules *rules = cl_rules_new();
    if (!rules)
        die("out of memory", NULL);
    corpus files = { 0 };
    load_dir(&files, dir, ".rules");
    for (size_t i = 0; i < files.n; i++) {
        cl_error err;
        if (cl_rules_load(rules, files.name[i], files.data[i], files.len[i], &err) < 0)
            printf("rules: left out, does not load: %s\n", err.msg);
    }
    corpus_free(&files);
    return rules;
}

/* The block model the daemon would load, or NULL for "none" or a file that
 * is missing or does not load (said, so the figures still come). */
static cl_model *load_model(const char *path)
{
    if (strcmp(path, "none") == 0)
        return NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("model: none: %s cannot be opened\n", path);
        return NULL;
    }
    fclose(f);
    size_t len;
    char *text = read_file(path, &len);
    cl_error err;
    cl_model *m = cl_model_load(path, text, len, &err);
    if (!m)
        printf("model: none: %s\n", err.msg);
    free(text);
    return m;
}

/*
 * The seed article as Markdown: short unpunctuated lines become headings,
 * every later paragraph's first word is bold and every third paragraph ends
 * with a link, so md4c has block and inline markup to strip.  The first line
 * stays as it is: it carries the scraper's date marker.
 */
static char *seed_to_markdown(const char *text, size_t len, size_t *out_len)
{
    cl_buf md = CL_BUF_INIT;
    size_t para = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        size_t word = strcspn(p, " \n");
        if (n == 0 || para == 0) {
            cl_buf_append(&md, p, n);
        } else if (n < 80 && p[n - 1] != '.') {
            cl_buf_printf(&md, "## %.*s", (int)n, p);
        } else {
            if (word > 0 && word < n)
                cl_buf_printf(&md, "**%.*s**%.*s", (int)word, p, (int)(n - word), p + word);
            else
                cl_buf_append(&md, p, n);
            if (para % 3 == 2)
                cl_buf_printf(&md, " [Read more](https://example.com/story/%zu)", para);
        }
        para += n > 0;
        cl_buf_append_char(&md, '\n');
        p += n + 1;
    }
    if (md.oom)
        die("out of memory", NULL);
    *out_len = md.len;
    return cl_buf_detach(&md);
}

/* Copies of the seeds, as text or Markdown, until `bytes` is reached. */
static void build_seed_corpus(corpus *out, const corpus *seeds, int markdown, size_t bytes)
{
    for (size_t i = 0; out->bytes < bytes; i++) {
        size_t k = i % seeds->n, len;
        char *doc;
        if (markdown) {
            doc = seed_to_markdown(seeds->data[k], seeds->len[k], &len);
        } else {
            len = seeds->len[k];
            doc = xrealloc(NULL, len + 1);
            memcpy(doc, seeds->data[k], len + 1);
        }
        corpus_add(out, doc, len, markdown ? "seed.md" : "seed.txt");
    }
}

/* ---- timing ------------------------------------------------------------ */

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Keeps the compiler from dropping work whose result is otherwise unused. */
static volatile size_t bench_sink;

static double pass_parse_only(const corpus *c)
{
    double t0 = cpu_now();
    for (size_t i = 0; i < c->n; i++) {
        GumboOutput *out = gumbo_parse_with_options(&kGumboDefaultOptions, c->data[i], c->len[i]);
        bench_sink += out->root->v.element.children.length;
        gumbo_destroy_output(&kGumboDefaultOptions, out);
    }
    return cpu_now() - t0;
}

static int md_ignore_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    (void)type, (void)detail, (void)user;
    return 0;
}

static int md_ignore_span(MD_SPANTYPE type, void *detail, void *user)
{
    (void)type, (void)detail, (void)user;
    return 0;
}

static int md_count_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *user)
{
    (void)type, (void)text;
    *(size_t *)user += size;
    return 0;
}

/* md4c with the reader's flags and callbacks that do nothing: the floor
 * under the Markdown figure, as Gumbo's parse is under the HTML one. */
static double pass_md_parse_only(const corpus *c)
{
    MD_PARSER parser = {
        .flags = CL_MD_READER_FLAGS,
        .enter_block = md_ignore_block,
        .leave_block = md_ignore_block,
        .enter_span = md_ignore_span,
        .leave_span = md_ignore_span,
        .text = md_count_text,
    };
    size_t text_bytes = 0;
    double t0 = cpu_now();
    for (size_t i = 0; i < c->n; i++)
        md_parse(c->data[i], (MD_SIZE)c->len[i], &parser, &text_bytes);
    bench_sink += text_bytes;
    return cpu_now() - t0;
}

typedef struct clean_stats {
    size_t docs[3];       /* per detected cl_format */
    size_t failed;
    size_t out_bytes;
} clean_stats;

static double pass_clean(const cl_cleaner *cleaner, const corpus *c, clean_stats *st)
{
    cl_buf text = CL_BUF_INIT;
    memset(st, 0, sizeof *st);
    double t0 = cpu_now();
    for (size_t i = 0; i < c->n; i++) {
        cl_doc *doc;
        cl_error err;
        if (cl_clean(cleaner, c->data[i], c->len[i], c->name[i], &doc, &err) < 0) {
            st->failed++;
            continue;
        }
        cl_buf_clear(&text);
        cl_render_text(doc, &text);
        st->out_bytes += text.len;
        st->docs[doc->format]++;
        cl_doc_free(doc);
    }
    double t = cpu_now() - t0;
    cl_buf_free(&text);
    return t;
}

static void print_formats(const clean_stats *st)
{
    printf("    detected: %zu text, %zu markdown, %zu html; %zu failed; %.1f MB of output\n",
           st->docs[CL_FORMAT_TEXT], st->docs[CL_FORMAT_MARKDOWN], st->docs[CL_FORMAT_HTML],
           st->failed, (double)st->out_bytes / 1e6);
}

static void bench_html(const cl_cleaner *cleaner, const corpus *pages, int passes)
{
    double parse[MAX_PASSES], clean[MAX_PASSES], ratio[MAX_PASSES];
    clean_stats st;
    pass_clean(cleaner, pages, &st);  /* warm-up: page faults, caches */
    for (int p = 0; p < passes; p++) {
        parse[p] = pass_parse_only(pages);
        clean[p] = pass_clean(cleaner, pages, &st);
        ratio[p] = parse[p] / clean[p];
    }
    double mb = (double)pages->bytes / 1e6;
    double tp = median(parse, passes), tc = median(clean, passes);
    printf("1. HTML, %zu pages, %.1f MB in memory, %d passes (median, thread CPU time)\n",
           pages->n, mb, passes);
    printf("    gumbo parse-only : %8.1f pages/s %7.1f MB/s\n", (double)pages->n / tp, mb / tp);
    printf("    whole clean      : %8.1f pages/s %7.1f MB/s\n", (double)pages->n / tc, mb / tc);
    printf("    clean / parse-only = %.2fx (median of per-pass ratios)   target >= 0.80x\n",
           median(ratio, passes));
    print_formats(&st);
}

/* With parse_only (Markdown), passes alternate between it and the clean, and
 * the ratio of the two is printed as for HTML. */
static void bench_seeds(const cl_cleaner *cleaner, const corpus *docs, const char *label,
                        double (*parse_only)(const corpus *), int passes)
{
    double t[MAX_PASSES], parse[MAX_PASSES], ratio[MAX_PASSES];
    clean_stats st;
    pass_clean(cleaner, docs, &st);
    for (int p = 0; p < passes; p++) {
        if (parse_only)
            parse[p] = parse_only(docs);
        t[p] = pass_clean(cleaner, docs, &st);
        if (parse_only)
            ratio[p] = parse[p] / t[p];
    }
    double mb = (double)docs->bytes / 1e6, tm = median(t, passes);
    printf("    %-8s: %zu documents, %.1f MB: %7.1f MB/s %9.0f docs/s   target >= 200 MB/s\n",
           label, docs->n, mb, mb / tm, (double)docs->n / tm);
    if (parse_only)
        printf("    %-8s  md4c parse-only %.1f MB/s; clean / parse-only = %.2fx\n", "",
               mb / median(parse, passes), median(ratio, passes));
    print_formats(&st);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_clean [-p PASSES] [-r RULES_DIR] [-M MODEL|none] [-m MB] "
                    "[-s html|text|markdown] [-L on|off] HTML_GZ_DIR SEEDS_DIR\n"
                    "  -L off: no language detection (detect_language = false)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int passes = DEFAULT_PASSES;
    const char *rules_dir = "config/rules", *section = NULL;
    const char *model_path = "config/model/blocks.model";
    int corpus_mb = DEFAULT_CORPUS_MB, detect_lang = 1;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-p") == 0)
            passes = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-r") == 0)
            rules_dir = argv[i + 1];
        else if (strcmp(argv[i], "-M") == 0)
            model_path = argv[i + 1];
        else if (strcmp(argv[i], "-m") == 0)
            corpus_mb = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "-s") == 0)
            section = argv[i + 1];
        else if (strcmp(argv[i], "-L") == 0)
            detect_lang = strcmp(argv[i + 1], "off") != 0;
        else
            usage();
    }
    if (argc - i != 2 || passes < 1 || passes > MAX_PASSES || corpus_mb < 1)
        usage();

    cl_options opts;
    cl_options_init(&opts);
    opts.skip_lang_detection = !detect_lang;
    cl_cleaner *cleaner = cl_cleaner_new(&opts, load_rules(rules_dir));
    if (!cleaner)
        die("out of memory", NULL);
    cl_cleaner_set_model(cleaner, load_model(model_path));

    size_t corpus_bytes = (size_t)corpus_mb << 20;
    corpus pages = { 0 }, seeds = { 0 }, text = { 0 }, markdown = { 0 };
    load_dir(&pages, argv[i], ".html.gz");
    load_dir(&seeds, argv[i + 1], ".txt");
    build_seed_corpus(&text, &seeds, 0, corpus_bytes);
    build_seed_corpus(&markdown, &seeds, 1, corpus_bytes);

    printf("rules: %zu from %s, %zu patterns outside the index\n",
           cl_rules_count(cl_cleaner_rules(cleaner)), rules_dir,
           cl_rules_unindexed(cl_cleaner_rules(cleaner)));
    const cl_model *model = cl_cleaner_model(cleaner);
    if (model)
        printf("model: %zu weights from %s, deciding%s%s%s\n", cl_model_count(model),
               model_path, cl_model_decides(model, CL_FORMAT_HTML) ? " html" : "",
               cl_model_decides(model, CL_FORMAT_MARKDOWN) ? " markdown" : "",
               cl_model_decides(model, CL_FORMAT_TEXT) ? " text" : "");
    else
        printf("model: none (the proposals decide)\n");
    if (!section || strcmp(section, "html") == 0)
        bench_html(cleaner, &pages, passes);
    if (!section || strcmp(section, "html") != 0)
        printf("2. Text and Markdown, the %zu seed articles copied to ~%d MB, %d passes\n",
               seeds.n, corpus_mb, passes);
    if (!section || strcmp(section, "text") == 0)
        bench_seeds(cleaner, &text, "text", NULL, passes);
    if (!section || strcmp(section, "markdown") == 0)
        bench_seeds(cleaner, &markdown, "markdown", pass_md_parse_only, passes);

    corpus_free(&pages);
    corpus_free(&seeds);
    corpus_free(&text);
    corpus_free(&markdown);
    cl_cleaner_free(cleaner);
    return 0;
}
