/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "emit.h"
#include "kinds.h"

#define KIND_PTR(id, mod) &kind_##mod,
const struct kind *const kinds_all[] = { KIND_LIST(KIND_PTR) NULL };
#undef KIND_PTR

int conf_load_all(struct conf **ret, char *const *paths, struct diag *d) {
        return conf_load(ret, kinds_all, paths, d);
}

int emit_all(struct emitter *e, const struct conf *c) {
        int ret = 0;

        for (int last = 0; last <= 1; last++)
                for (size_t i = 0; kinds_all[i]; i++) {
                        if (!kinds_all[i]->emit || kinds_all[i]->emit_last != last)
                                continue;
                        int r = kinds_all[i]->emit(e, c);
                        if (r < 0 && ret == 0)
                                ret = r;
                }
        int r = emit_finish(e);
        return ret < 0 ? ret : r;
}
