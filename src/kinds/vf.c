/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * [VF pf:index]: the settings of one virtual function, over the defaults of
 * its PF's [SR-IOV] section (applied by interface-vf@pf.service).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "section.h"
#include "sriov.h"
#include "util.h"

static const struct key_def vf_keys[] = {
        { .name = "MACAddress", .type = KEY_MAC, .offset = offsetof(struct conf_vf, set.mac),
          .offset_set = offsetof(struct conf_vf, set.has_mac) },
        { .name = "Driver", .type = KEY_STRING, .offset = offsetof(struct conf_vf, set.driver), .check = check_driver },
        VF_SETTINGS_KEYS(struct conf_vf, set),
        {}
};

static int vf_parse_name(struct section *s, const char *header, char *name, char **ret) {
        unsigned long long idx;
        char *colon = strrchr(name, ':');
        _cleanup_free_ char *pf = NULL;

        if (!colon || parse_uint(colon + 1, 65535, &idx) < 0) {
                section_error(s, NULL, "invalid [%s]: expected [VF <pf>:<index>], ignoring section", header);
                return -EINVAL;
        }
        *colon = '\0';
        pf = pf_name_normalize(name);
        if (!pf) {
                section_error(s, NULL, "invalid physical function '%s' in [%s], ignoring section", name, header);
                return -EINVAL;
        }
        /* the index in its canonical spelling (no leading zeros): digits from the right */
        char num[24], *d = num + sizeof(num) - 1;
        *d = '\0';
        do
                *--d = (char) ('0' + idx % 10);
        while (idx /= 10);
        *ret = strjoin(pf, ":", d);
        return 0;
}

static const char *vf_name_of(const void *obj) {
        return ((const struct conf_vf *) obj)->name;
}

static const struct conf_loc *vf_loc_of(const void *obj) {
        return &((const struct conf_vf *) obj)->loc;
}

static void vf_init(void *obj, const char *name, const struct conf_loc *loc) {
        struct conf_vf *vf = obj;
        const char *colon = strrchr(name, ':');

        vf->name = xstrdup(name);
        vf->pf = colon ? strndup(name, (size_t) (colon - name)) : xstrdup(name);
        if (!vf->pf)
                oom();
        vf->index = colon ? (unsigned) strtoul(colon + 1, NULL, 10) : 0;
        vf->loc = *loc;
        vf_settings_init(&vf->set);
}

static bool vf_verify(struct section *s, void *obj) {
        return vf_settings_check(s, &((struct conf_vf *) obj)->set);
}

static void vf_free(void *obj) {
        struct conf_vf *vf = obj;

        free(vf->set.driver);
        free(vf->name);
        free(vf->pf);
        free(vf);
}

static int cmp_vf(const void *a, const void *b) {
        const struct conf_vf *x = *(struct conf_vf *const *) a, *y = *(struct conf_vf *const *) b;
        return x->index < y->index ? -1 : x->index > y->index;
}

/* Each [VF] joins its PF's list, sorted by index. */
static void vf_link(struct conf *c, struct diag *d) {
        for (size_t i = 0; i < CONF_N(c, VF); i++) {
                struct conf_vf *vf = CONF_AT(c, VF, conf_vf, i);
                struct conf_sriov *pf = conf_find_sriov(c, vf->pf);
                const char *why = NULL;

                if (!pf)
                        why = "there is no valid [SR-IOV] section for this PF";
                else if (vf->index >= pf->num_vfs)
                        why = "the index is not below VirtualFunctions= of its PF";
                else if (pf->is_pci && vf_has_netlink_settings(&vf->set))
                        why = "the PF is named by PCI address: only Driver= applies to its VFs "
                              "(there is no network PF to configure them through)";
                if (why) {
                        diag_error(d, vf->loc.file, vf->loc.line, "[VF %s:%u]: %s, ignoring section", vf->pf, vf->index,
                                   why);
                        conf_drop(c, &kind_vf, vf);
                        i--;
                        continue;
                }
                XGROW(pf->vfs, pf->n_vfs);
                pf->vfs[pf->n_vfs++] = vf;
        }
        for (size_t i = 0; i < CONF_N(c, SRIOV); i++) {
                struct conf_sriov *pf = CONF_AT(c, SRIOV, conf_sriov, i);
                if (pf->n_vfs > 1)
                        qsort(pf->vfs, pf->n_vfs, sizeof(*pf->vfs), cmp_vf);
        }
}

const struct kind kind_vf = {
        .type = "VF",
        .slug = "vf",
        .id = KIND_VF,
        .size = sizeof(struct conf_vf),
        .keys = vf_keys,
        .name_example = "eth0:0",
        .parse_name = vf_parse_name,
        .name_of = vf_name_of,
        .loc_of = vf_loc_of,
        .init = vf_init,
        .verify = vf_verify,
        .free = vf_free,
        .link = vf_link,
};
