#include "settings.h"

#include <string.h>

static int apply_command_line(config *c, const cli_args *a, cl_error *err)
{
    if ((a->input_dir && config_set_path(&c->input_dir, a->input_dir) < 0)
        || (a->output_dir && config_set_path(&c->output_dir, a->output_dir) < 0))
        return cl_fail(err, "out of memory");
    if (a->input_dir)
        c->folder_line[CONFIG_INPUT_DIR] = 0;
    if (a->output_dir)
        c->folder_line[CONFIG_OUTPUT_DIR] = 0;
    if (a->format && output_format_parse(a->format, &c->format) < 0)
        return cl_fail(err, "-f: unknown format '%s'", a->format);
    if (a->explain)
        c->explain = 1;
    if (a->jobs > 0)
        c->jobs = a->jobs;
    if (a->has_min_chars)
        c->min_body_chars = (size_t)a->min_chars;
    if (a->model && config_set_path(&c->model_file,
                                    strcmp(a->model, "none") == 0 ? NULL : a->model) < 0)
        return cl_fail(err, "out of memory");
    return 0;
}

int settings_load(config *out, const char *config_path, const cli_args *a,
                  cl_error *err)
{
    config_init(out);
    if (config_path && config_load(out, config_path, err) < 0) {
        config_free(out);
        return -1;
    }
    if (apply_command_line(out, a, err) < 0) {
        config_free(out);
        return -1;
    }
    return 0;
}
