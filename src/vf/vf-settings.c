/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/if_link.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "vf-settings.h"

/* ------------------------------------------------------------------------------------------
 * The plan
 */

bool vf_plan_needs_machine_id(const struct conf_sriov *pf) {
        if (pf->mac_policy != MAC_POLICY_PERSISTENT)
                return false;
        for (unsigned i = 0; i < pf->num_vfs; i++) {
                struct vf_settings s;
                conf_vf_effective(pf, i, &s);
                if (!s.has_mac)
                        return true;
        }
        return false;
}

static void plan_vlan(const struct conf_sriov *pf, unsigned i, const struct vf_settings *s, struct vf_want *w) {
        if (s->vlan == CONF_UNSET) {
                /* QoS= needs VLAN= (the loader says so); a lone VLANProtocol= has nothing to apply to */
                if (s->vlan_proto != CONF_UNSET)
                        log_notice("%s: VF %u: VLANProtocol= without VLAN= has no effect", pf->name, i);
                return;
        }
        w->attrs |= VF_ATTR_BIT(VF_ATTR_VLAN);
        w->v.vlan = (unsigned) s->vlan;
        w->v.qos = s->qos == CONF_UNSET ? 0 : (unsigned) s->qos;
        w->v.vlan_proto = s->vlan_proto == CONF_UNSET ? 0x8100 : (unsigned) s->vlan_proto;
}

static int plan_rate(const struct conf_sriov *pf, unsigned i, const struct vf_settings *s, struct vf_want *w) {
        if (s->min_tx_rate == CONF_UNSET && s->max_tx_rate == CONF_UNSET)
                return 0;
        /* Each section is checked when loaded; the overlay of the two is checked here. */
        if (s->min_tx_rate > 0 && s->max_tx_rate > 0 && s->min_tx_rate > s->max_tx_rate)
                return log_error_errno(EINVAL, "%s: VF %u: MinTxRate=%lld exceeds MaxTxRate=%lld (one from [SR-IOV %s], "
                                       "the other from [VF %s:%u]); nothing changed", pf->name, i,
                                       (long long) s->min_tx_rate, (long long) s->max_tx_rate, pf->name, pf->name, i);
        w->attrs |= VF_ATTR_BIT(VF_ATTR_RATE);
        w->min_rate_set = s->min_tx_rate != CONF_UNSET;
        w->max_rate_set = s->max_tx_rate != CONF_UNSET;
        w->v.min_tx_rate = w->min_rate_set ? (uint32_t) s->min_tx_rate : 0;
        w->v.max_tx_rate = w->max_rate_set ? (uint32_t) s->max_tx_rate : 0;
        return 0;
}

static int plan_one(const struct conf_sriov *pf, unsigned i, const uint8_t *machine_id, struct vf_want *w) {
        struct vf_settings s;

        conf_vf_effective(pf, i, &s);
        vf_info_init(&w->v, i);

        if (s.has_mac) {
                w->attrs |= VF_ATTR_BIT(VF_ATTR_MAC);
                memcpy(w->v.mac, s.mac, 6);
        } else if (pf->mac_policy == MAC_POLICY_PERSISTENT) {
                w->attrs |= VF_ATTR_BIT(VF_ATTR_MAC);
                w->mac_persistent = true;
                vf_mac_persistent(machine_id, pf->name, i, w->v.mac);
        }
        plan_vlan(pf, i, &s, w);
        if (s.spoof_check != CONF_UNSET) {
                w->attrs |= VF_ATTR_BIT(VF_ATTR_SPOOFCHK);
                w->v.spoofchk = s.spoof_check;
        }
        if (s.link_state != CONF_UNSET) {
                w->attrs |= VF_ATTR_BIT(VF_ATTR_LINK_STATE);
                w->v.link_state = s.link_state;
        }
        if (s.trust != CONF_UNSET) {
                w->attrs |= VF_ATTR_BIT(VF_ATTR_TRUST);
                w->v.trust = s.trust;
        }
        return plan_rate(pf, i, &s, w);
}

int vf_plan_build(const struct conf_sriov *pf, const uint8_t *machine_id, struct vf_want **ret) {
        struct vf_want *w = xcalloc(pf->num_vfs ?: 1, sizeof(*w));
        int r;

        for (unsigned i = 0; i < pf->num_vfs; i++) {
                r = plan_one(pf, i, machine_id, &w[i]);
                if (r < 0) {
                        free(w);
                        return r;
                }
        }
        *ret = w;
        return 0;
}

bool vf_plan_has_settings(const struct vf_want *w, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (w[i].attrs)
                        return true;
        return false;
}

/* ------------------------------------------------------------------------------------------
 * Applying, with the rollback
 */

static const char *yes_no(int b) {
        return b ? "yes" : "no";
}

static const char *link_state_name(int s) {
        switch (s) {
        case IFLA_VF_LINK_STATE_AUTO: return "auto";
        case IFLA_VF_LINK_STATE_ENABLE: return "enable";
        case IFLA_VF_LINK_STATE_DISABLE: return "disable";
        default: return "?";
        }
}

char *vf_attr_describe(enum vf_attr attr, const struct vf_info *v) {
        switch (attr) {
        case VF_ATTR_MAC: {
                _cleanup_free_ char *m = format_mac(v->mac);
                return xasprintf("MACAddress=%s", m);
        }
        case VF_ATTR_VLAN:
                return xasprintf("VLAN=%u QoS=%u VLANProtocol=%s", v->vlan, v->qos,
                                 v->vlan_proto == 0x88a8 ? "802.1ad" : v->vlan_proto == 0x8100 ? "802.1Q" : "?");
        case VF_ATTR_RATE:
                return xasprintf("MinTxRate=%u MaxTxRate=%u", v->min_tx_rate, v->max_tx_rate);
        case VF_ATTR_SPOOFCHK:
                return xasprintf("SpoofCheck=%s", yes_no(v->spoofchk));
        case VF_ATTR_LINK_STATE:
                return xasprintf("LinkState=%s", link_state_name(v->link_state));
        case VF_ATTR_TRUST:
                return xasprintf("Trust=%s", yes_no(v->trust));
        default:
                return xstrdup("?");
        }
}

/* Whether cur's value of attr is known, so that it can be compared and put back. */
static bool known(enum vf_attr attr, const struct vf_info *cur) {
        switch (attr) {
        case VF_ATTR_MAC: return cur->has_mac;
        case VF_ATTR_VLAN: return cur->has_vlan;
        case VF_ATTR_RATE: return cur->has_rate;
        case VF_ATTR_SPOOFCHK: return cur->spoofchk >= 0;
        case VF_ATTR_LINK_STATE: return cur->link_state >= 0;
        case VF_ATTR_TRUST: return cur->trust >= 0;
        default: return false;
        }
}

static bool same(enum vf_attr attr, const struct vf_info *a, const struct vf_info *b) {
        switch (attr) {
        case VF_ATTR_MAC:
                return memcmp(a->mac, b->mac, 6) == 0;
        case VF_ATTR_VLAN:
                /* Without a tag, the protocol does not matter (drivers report either). */
                return a->vlan == b->vlan && a->qos == b->qos &&
                       (a->vlan_proto == b->vlan_proto || (a->vlan == 0 && a->qos == 0));
        case VF_ATTR_RATE:
                return a->min_tx_rate == b->min_tx_rate && a->max_tx_rate == b->max_tx_rate;
        case VF_ATTR_SPOOFCHK:
                return a->spoofchk == b->spoofchk;
        case VF_ATTR_LINK_STATE:
                return a->link_state == b->link_state;
        case VF_ATTR_TRUST:
                return a->trust == b->trust;
        default:
                return false;
        }
}

/* The value to write: the wanted one, with the rate not configured kept as it is. */
static struct vf_info target(const struct vf_want *w, const struct vf_info *cur) {
        struct vf_info t = w->v;

        if (!w->min_rate_set && cur->has_rate)
                t.min_tx_rate = cur->min_tx_rate;
        if (!w->max_rate_set && cur->has_rate)
                t.max_tx_rate = cur->max_tx_rate;
        return t;
}

struct change {
        enum vf_attr attr;
        struct vf_info old;
};

static void rollback(const char *pf, const struct change *done, size_t n, const struct vf_setter *s) {
        unsigned failed = 0;

        for (size_t i = n; i-- > 0;) {
                const struct change *c = &done[i];
                _cleanup_free_ char *what = vf_attr_describe(c->attr, &c->old);
                int r;

                if (!known(c->attr, &c->old)) {
                        log_warning("%s: VF %u: cannot put back the previous %s: the driver did not report it",
                                    pf, c->old.index, what);
                        failed++;
                        continue;
                }
                r = s->set(s->userdata, c->attr, &c->old);
                if (r < 0) {
                        const char *k = s->error_message(s->userdata);
                        log_error_errno(r, "%s: VF %u: putting back %s failed: %m%s%s%s", pf, c->old.index, what,
                                        *k ? " (kernel: " : "", k, *k ? ")" : "");
                        failed++;
                } else
                        log_info("%s: VF %u: put back %s", pf, c->old.index, what);
        }
        if (failed > 0)
                log_error("%s: %u of %zu changed VF settings could not be put back", pf, failed, n);
        else if (n > 0)
                log_notice("%s: put back all %zu VF settings this start had changed", pf, n);
}

static int apply_one(const char *pf, const struct vf_want *w, const struct vf_info *cur, enum vf_attr attr,
                     const struct vf_setter *s, struct change **done, size_t *n_done) {
        struct vf_info t = target(w, cur);
        _cleanup_free_ char *what = NULL;
        int r;

        if (known(attr, cur) && same(attr, &t, cur))
                return 0;
        what = vf_attr_describe(attr, &t);
        r = s->set(s->userdata, attr, &t);
        if (r < 0) {
                const char *k = s->error_message(s->userdata);
                return log_error_errno(r, "%s: VF %u: the driver refused %s: %m%s%s%s", pf, w->v.index, what,
                                       *k ? " (kernel: " : "", k, *k ? ")" : "");
        }
        log_info("%s: VF %u: set %s%s", pf, w->v.index, what,
                 attr == VF_ATTR_MAC && w->mac_persistent ? " (MACAddressPolicy=persistent)" : "");
        *done = xrealloc(*done, (*n_done + 1) * sizeof(struct change));
        (*done)[(*n_done)++] = (struct change) { .attr = attr, .old = *cur };
        return 1;
}

int vf_settings_apply(const char *pf, const struct vf_want *want, size_t n, const struct pf_link *cur,
                      const struct vf_setter *s) {
        _cleanup_free_ struct change *done = NULL;
        size_t n_done = 0;
        int r;

        /* Every VF must be there before anything is written. */
        for (size_t i = 0; i < n; i++)
                if (want[i].attrs && !pf_link_find_vf(cur, want[i].v.index))
                        return log_error_errno(ENXIO, "%s: VF %u is missing from the PF's VF list over rtnetlink "
                                               "(the driver reports %zu VFs: no per-VF settings through this PF?)",
                                               pf, want[i].v.index, cur->n_vfs);

        for (size_t i = 0; i < n; i++) {
                const struct vf_info *c = pf_link_find_vf(cur, want[i].v.index);

                for (enum vf_attr a = 0; a < _VF_ATTR_MAX; a++) {
                        if (!(want[i].attrs & VF_ATTR_BIT(a)))
                                continue;
                        r = apply_one(pf, &want[i], c, a, s, &done, &n_done);
                        if (r < 0) {
                                rollback(pf, done, n_done, s);
                                return r;
                        }
                }
        }
        return (int) n_done;
}
