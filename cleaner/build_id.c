#include "build_id.h"

#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <string.h>

typedef struct id_search {
    uintptr_t      inside;   /* an address of this library's code */
    unsigned char *out;
    size_t         len;
} id_search;

static int holds_address(const struct dl_phdr_info *info, uintptr_t addr)
{
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (ph->p_type == PT_LOAD && addr >= start && addr - start < ph->p_memsz)
            return 1;
    }
    return 0;
}

/* The NT_GNU_BUILD_ID note of one PT_NOTE segment, into s. */
static void read_notes(id_search *s, const unsigned char *p, size_t size)
{
    while (size >= sizeof(ElfW(Nhdr))) {
        const ElfW(Nhdr) *n = (const void *)p;
        size_t name = (n->n_namesz + 3) & ~(size_t)3, desc = (n->n_descsz + 3) & ~(size_t)3;
        size_t whole = sizeof *n + name + desc;
        if (whole > size)
            return;
        if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
            memcmp(p + sizeof *n, "GNU", 4) == 0 && n->n_descsz <= CL_BUILD_ID_MAX) {
            memcpy(s->out, p + sizeof *n + name, n->n_descsz);
            s->len = n->n_descsz;
            return;
        }
        p += whole;
        size -= whole;
    }
}

static int on_object(struct dl_phdr_info *info, size_t size, void *user)
{
    (void)size;
    id_search *s = user;
    if (!holds_address(info, s->inside))
        return 0;
    for (int i = 0; i < info->dlpi_phnum && !s->len; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type == PT_NOTE)
            read_notes(s, (const unsigned char *)(info->dlpi_addr + ph->p_vaddr), ph->p_memsz);
    }
    return 1;
}

size_t cl_build_id(unsigned char out[CL_BUILD_ID_MAX])
{
    id_search s = { (uintptr_t)&cl_build_id, out, 0 };
    dl_iterate_phdr(on_object, &s);
    return s.len;
}
