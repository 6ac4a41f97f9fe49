/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The net graph: every network object (a kind with net_ops: VLAN, bridge,
 * bond) is a node, its lower devices (Link=, Ports=) its edges.  Checked once,
 * in time linear in nodes and edges (a hash lookup per edge):
 *   - a port has one master, of a kind that accepts it, and the master it asks
 *     for (Bridge=) if it asks;
 *   - no loop: a device can never be built on itself.  Of each loop, the member
 *     declared last is dropped, and a port that asked for a master so dropped too.
 * What is left is acyclic, which the emitters rely on to order units.
 */
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hashset.h"
#include "netgraph.h"
#include "util.h"

struct node {
        const struct kind *kind;
        void *obj;
        const char *name;
        const struct conf_loc *loc;
        size_t rank;         /* reading order: file, line */
        bool dropped;
        int color;           /* DFS: 0 new, 1 on the stack, 2 done */
        size_t next_edge;    /* DFS: the next lower device to look at */
};

struct graph {
        struct conf *c;
        struct diag *d;
        struct node *nodes;
        size_t n;
        struct hashset by_name;
};

static uint64_t hash_node(const void *a) {
        return hash_string(((const struct node *) a)->name);
}

static bool eq_node(const void *a, const void *b) {
        return streq(((const struct node *) a)->name, ((const struct node *) b)->name);
}

static struct node *node_find(struct graph *g, const char *name) {
        struct node *found;

        if (!name)
                return NULL;
        found = hashset_get(&g->by_name, &(struct node) { .name = name });
        return found && !found->dropped ? found : NULL;
}

static size_t file_rank(const struct conf *c, const char *file) {
        for (size_t i = 0; i < c->n_files; i++)
                if (c->files[i] == file)
                        return i;
        return 0;
}

static void drop(struct graph *g, struct node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void drop(struct graph *g, struct node *n, const char *fmt, ...) {
        char msg[1024];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        diag_error(g->d, n->loc->file, n->loc->line, "[%s %s]: %s, ignoring section", n->kind->type, n->name, msg);
        n->dropped = true;
}

static char *const *ports_of(const struct node *n) {
        return n->kind->net->ports ? n->kind->net->ports(n->obj) : NULL;
}

static const char *link_of(const struct node *n) {
        return n->kind->net->link ? n->kind->net->link(n->obj) : NULL;
}

static const char *master_of(const struct node *n) {
        return n->kind->net->master ? n->kind->net->master(n->obj) : NULL;
}

static int cmp_rank(const void *a, const void *b) {
        const struct node *x = *(struct node *const *) a, *y = *(struct node *const *) b;
        return x->rank < y->rank ? -1 : x->rank > y->rank;
}

struct port_owner {
        const char *port;
        struct node *master;
};

static uint64_t hash_owner(const void *a) {
        return hash_string(((const struct port_owner *) a)->port);
}

static bool eq_owner(const void *a, const void *b) {
        return streq(((const struct port_owner *) a)->port, ((const struct port_owner *) b)->port);
}

/* One master per port; a port the master accepts; the master a port asks for. */
static void check_ports(struct graph *g) {
        struct hashset owner = HASHSET_INIT(hash_owner, eq_owner); /* port name -> its master */
        struct port_owner *owners;
        size_t n_owners = 0, cap = 0;

        for (size_t i = 0; i < g->n; i++) {
                char *const *ports = ports_of(&g->nodes[i]);
                for (size_t p = 0; ports && ports[p]; p++)
                        cap++;
        }
        owners = xcalloc(cap + 1, sizeof(*owners));

        /* in reading order: of two masters of one port, the one declared later goes */
        struct node **order = xcalloc(g->n + 1, sizeof(*order));
        for (size_t i = 0; i < g->n; i++)
                order[i] = &g->nodes[i];
        qsort(order, g->n, sizeof(*order), cmp_rank);

        for (size_t i = 0; i < g->n; i++) {
                struct node *m = order[i];
                char *const *ports = ports_of(m);
                const char *why = NULL, *port = NULL;
                char buf[256];
                size_t first = n_owners;

                for (size_t p = 0; !why && ports && ports[p]; p++) {
                        struct node *pn = node_find(g, ports[p]);
                        struct port_owner key = { ports[p], NULL }, *slot;
                        const char *asks;

                        port = ports[p];
                        if (pn && !m->kind->net->accepts_port(pn->kind)) {
                                snprintf(buf, sizeof(buf), "a [%s] cannot be a port of a [%s]", pn->kind->type,
                                         m->kind->type);
                                why = buf;
                                break;
                        }
                        asks = pn ? master_of(pn) : NULL;
                        if (asks && !streq(asks, m->name)) {
                                snprintf(buf, sizeof(buf), "its [%s] section says %s=%s", pn->kind->type,
                                         pn->kind->net->master_key, asks);
                                why = buf;
                                break;
                        }
                        owners[n_owners] = key;
                        owners[n_owners].master = m;
                        slot = hashset_put(&owner, &owners[n_owners]);
                        if (slot != &owners[n_owners]) {
                                snprintf(buf, sizeof(buf), "it is already a port of [%s %s]", slot->master->kind->type,
                                         slot->master->name);
                                why = buf;
                                break;
                        }
                        n_owners++;
                }
                if (why) {
                        /* forget the ports this master had claimed */
                        for (size_t k = first; k < n_owners; k++)
                                hashset_remove(&owner, &owners[k]);
                        n_owners = first;
                        drop(g, m, "cannot use port %s: %s", port, why);
                }
        }

        /* a port that asks for its master (Bridge=): the master must exist and take it */
        for (size_t i = 0; i < g->n; i++) {
                struct node *n = &g->nodes[i], *m;
                const char *asks = n->dropped ? NULL : master_of(n);
                struct port_owner key = { n->name, NULL }, *slot;

                if (!asks)
                        continue;
                m = node_find(g, asks);
                if (!m || !m->kind->net->add_port || !m->kind->net->accepts_port(n->kind)) {
                        drop(g, n, "%s=%s is not a declared [%s]", n->kind->net->master_key, asks,
                             n->kind->net->master_key);
                        continue;
                }
                slot = hashset_get(&owner, &key);
                if (slot && slot->master != m) {
                        drop(g, n, "%s=%s, but [%s %s] lists it as a port", n->kind->net->master_key, asks,
                             slot->master->kind->type, slot->master->name);
                        continue;
                }
                if (!slot)
                        m->kind->net->add_port(m->obj, n->name);
        }
        hashset_done(&owner, NULL);
        free(owners);
        free(order);
}

/* The i-th lower device of n that is one of ours, from n->next_edge on; NULL when none is left. */
static struct node *next_lower(struct graph *g, struct node *n) {
        char *const *ports = ports_of(n);
        const char *link = link_of(n);

        for (;;) {
                size_t i = n->next_edge++;
                const char *name;

                if (i == 0)
                        name = link;
                else if (ports && ports[i - 1])
                        name = ports[i - 1];
                else
                        return NULL;
                struct node *lower = node_find(g, name);
                if (lower)
                        return lower;
        }
}

/* Depth-first; on finding a loop, drops its member declared last and starts over from the
 * nodes that were on the stack (those done stay done: removing a node makes no loop). */
static void check_loops(struct graph *g) {
        struct node **stack = xcalloc(g->n + 1, sizeof(*stack));

        for (size_t root = 0; root < g->n; root++) {
                size_t depth = 0;

                if (g->nodes[root].dropped || g->nodes[root].color == 2)
                        continue;
                stack[depth++] = &g->nodes[root];
                g->nodes[root].color = 1;
                g->nodes[root].next_edge = 0;
                while (depth > 0) {
                        struct node *top = stack[depth - 1], *lower = next_lower(g, top);

                        if (!lower) {
                                top->color = 2;
                                depth--;
                                continue;
                        }
                        if (lower->color == 2)
                                continue;
                        if (lower->color == 0) {
                                lower->color = 1;
                                lower->next_edge = 0;
                                stack[depth++] = lower;
                                continue;
                        }

                        /* a loop: from lower, on the stack, up to top */
                        size_t from = depth - 1, len = 0;
                        while (stack[from] != lower)
                                from--;
                        struct node *worst = stack[from];
                        char chain[512];
                        for (size_t k = from; k < depth; k++) {
                                if (stack[k]->rank > worst->rank)
                                        worst = stack[k];
                                if (len < sizeof(chain))
                                        len += (size_t) snprintf(chain + len, sizeof(chain) - len, "%s -> ",
                                                                 stack[k]->name);
                        }
                        if (len < sizeof(chain))
                                snprintf(chain + len, sizeof(chain) - len, "%s", lower->name);
                        drop(g, worst, "Link=/Ports= make a loop (%s)", chain);
                        /* start over from the nodes on the stack */
                        for (size_t k = 0; k < depth; k++)
                                stack[k]->color = 0;
                        depth = 0;
                        root--; /* this root again, unless it was the one dropped */
                        break;
                }
        }
        free(stack);
}

/*
 * A master dropped for a loop after the ports were settled: a port that asked for it (Bridge=)
 * cannot be set up as declared, and goes too (it was added to that master's ports only).
 * Dropping a port makes no new loop and leaves no other port without its master.
 */
static void check_masters_kept(struct graph *g) {
        for (size_t i = 0; i < g->n; i++) {
                struct node *n = &g->nodes[i];
                const char *asks = n->dropped ? NULL : master_of(n);

                if (asks && !node_find(g, asks))
                        drop(g, n, "%s=%s, which is ignored for its errors", n->kind->net->master_key, asks);
        }
}

void netgraph_check(struct conf *c, struct diag *d) {
        struct graph g = { .c = c, .d = d, .by_name = HASHSET_INIT(hash_node, eq_node) };

        for (size_t i = 0; c->kinds[i]; i++)
                if (c->kinds[i]->net)
                        g.n += c->objs[i].n;
        g.nodes = xcalloc(g.n + 1, sizeof(*g.nodes));
        g.n = 0;
        for (size_t i = 0; c->kinds[i]; i++) {
                const struct kind *k = c->kinds[i];
                if (!k->net)
                        continue;
                for (size_t j = 0; j < c->objs[i].n; j++) {
                        struct node *n = &g.nodes[g.n++];
                        n->kind = k;
                        n->obj = c->objs[i].v[j];
                        n->name = k->name_of(n->obj);
                        n->loc = k->loc_of(n->obj);
                        n->rank = file_rank(c, n->loc->file) * (size_t) 1000000000 + n->loc->line;
                        hashset_put(&g.by_name, n);
                }
        }

        check_ports(&g);
        check_loops(&g);
        check_masters_kept(&g);

        hashset_done(&g.by_name, NULL);
        for (size_t i = 0; i < g.n; i++)
                if (g.nodes[i].dropped)
                        conf_drop(c, g.nodes[i].kind, g.nodes[i].obj);
        free(g.nodes);
}
