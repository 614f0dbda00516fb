/*
 * fuzz_config.c - libFuzzer target on the daemon's config parser.
 *
 * config_load() reads a path, so each input is written to one private
 * temporary file first.  A failure must name that file and leave the config
 * passed in untouched (a SIGHUP reload keeps the old config that way); a
 * success must give a config that config_free() releases whole (LeakSanitizer
 * checks it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

static char conf_path[] = "/tmp/fuzz_config.XXXXXX";
static int conf_fd = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    conf_fd = mkstemp(conf_path);
    if (conf_fd < 0)
        abort();
    return 0;
}

static void write_input(const uint8_t *data, size_t size)
{
    if (ftruncate(conf_fd, 0) < 0 || pwrite(conf_fd, data, size, 0) != (ssize_t)size)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_input(data, size);
    config c;
    config_init(&c);
    config before = c;
    cl_error err;
    err.msg[0] = '\0';
    if (config_load(&c, conf_path, &err) < 0) {
        if (strncmp(err.msg, conf_path, strlen(conf_path)) != 0) {
            fprintf(stderr, "fuzz_config: error does not name the file: '%s'\n", err.msg);
            abort();
        }
        if (memcmp(&c, &before, sizeof c) != 0) {
            fprintf(stderr, "fuzz_config: a failed load changed the config\n");
            abort();
        }
    }
    config_free(&c);
    return 0;
}
