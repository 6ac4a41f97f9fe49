/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <sys/auxv.h>

#include "hashset.h"
#include "util.h"

static uint64_t seed(void) {
        static uint64_t s;
        static bool done;

        if (!done) {
                const unsigned char *r = (const unsigned char *) getauxval(AT_RANDOM);
                s = 0x243f6a8885a308d3ULL;
                if (r) {
                        uint64_t w;
                        memcpy(&w, r, sizeof(w));
                        s ^= w;
                }
                done = true;
        }
        return s;
}

/* splitmix64's finalizer: every bit of x reaches every bit of the result */
static uint64_t fmix(uint64_t x) {
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9ULL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebULL;
        return x ^ (x >> 31);
}

uint64_t hash_mix(uint64_t h, uint64_t v) {
        return fmix(h ^ (v + 0x9e3779b97f4a7c15ULL));
}

uint64_t hash_string(const char *str) {
        const unsigned char *s = (const unsigned char *) str;
        size_t n = strlen(str);
        uint64_t h = seed() ^ (n * 0x9e3779b97f4a7c15ULL), w;

        for (; n >= 8; s += 8, n -= 8) {
                memcpy(&w, s, 8);
                h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
                h ^= h >> 29;
        }
        w = 0;
        memcpy(&w, s, n);
        return fmix(h ^ w);
}

uint64_t hash_string_entry(const void *s) {
        return hash_string(s);
}

bool streq_entry(const void *a, const void *b) {
        return strcmp(a, b) == 0;
}

/* The slot of the entry equal to key, or the empty slot that ends its run. */
static size_t probe(const struct hashset *s, const void *key, uint64_t h) {
        size_t i = h & s->mask;

        while (s->slot[i].entry && !(s->slot[i].hash == h && s->eq(s->slot[i].entry, key)))
                i = (i + 1) & s->mask;
        return i;
}

void *hashset_get(const struct hashset *s, const void *key) {
        return s->n == 0 ? NULL : s->slot[probe(s, key, s->hash(key))].entry;
}

static void grow(struct hashset *s) {
        size_t old_cap = s->slot ? s->mask + 1 : 0, cap = old_cap ? old_cap * 2 : 16;
        struct hashset_slot *old = s->slot;

        if (cap < old_cap || cap > SIZE_MAX / sizeof(*old))
                oom();
        s->slot = xcalloc(cap, sizeof(*old));
        s->mask = cap - 1;
        for (size_t i = 0; i < old_cap; i++)
                if (old[i].entry) {
                        size_t j = old[i].hash & s->mask;
                        while (s->slot[j].entry)
                                j = (j + 1) & s->mask;
                        s->slot[j] = old[i];
                }
        free(old);
}

void *hashset_put(struct hashset *s, void *entry) {
        uint64_t h = s->hash(entry);
        size_t i;

        if (!s->slot || (s->n + 1) * 2 > s->mask + 1) {
                if (s->slot) {
                        i = probe(s, entry, h);
                        if (s->slot[i].entry)
                                return s->slot[i].entry;
                }
                grow(s);
        }
        i = probe(s, entry, h);
        if (s->slot[i].entry)
                return s->slot[i].entry;
        s->slot[i] = (struct hashset_slot) { entry, h };
        s->n++;
        return entry;
}

void *hashset_remove(struct hashset *s, const void *key) {
        size_t i, j;
        void *found;

        if (s->n == 0)
                return NULL;
        i = probe(s, key, s->hash(key));
        found = s->slot[i].entry;
        if (!found)
                return NULL;
        s->slot[i].entry = NULL;
        s->n--;
        /* backward shift: move up each later entry of the run that the hole now cuts off from its home */
        for (j = (i + 1) & s->mask; s->slot[j].entry; j = (j + 1) & s->mask) {
                size_t home = s->slot[j].hash & s->mask;
                /* the entry may stay at j if its home lies cyclically in (i, j] */
                if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
                        continue;
                s->slot[i] = s->slot[j];
                s->slot[j].entry = NULL;
                i = j;
        }
        return found;
}

void hashset_done(struct hashset *s, void (*free_entry)(void *)) {
        if (free_entry && s->slot)
                for (size_t i = 0; i <= s->mask; i++)
                        if (s->slot[i].entry)
                                free_entry(s->slot[i].entry);
        free(s->slot);
        s->slot = NULL;
        s->n = s->mask = 0;
}
