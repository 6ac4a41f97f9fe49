/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hash set against a plain array, under random puts, gets and removes: once
 * with the real string hash, and once with hashes that fall into a few slots only
 * (long runs that wrap around the end of the array), where removal by backward
 * shift is easiest to get wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hashset.h"

#define N_KEYS 600

static unsigned n_pass, n_fail;
static char keys[N_KEYS][16];
static bool in_ref[N_KEYS];

static uint64_t bad_hash(const void *s) {
        /* 4 values, and the last slots of the array: every run wraps */
        return (uint64_t) -1 - (hash_string(s) & 3);
}

static void fail(const char *what, const char *key) {
        if (n_fail++ < 20)
                printf("FAIL: %s %s\n", what, key);
}

static void run(uint64_t (*hash)(const void *), unsigned seed) {
        struct hashset s = HASHSET_INIT(hash, streq_entry);
        size_t n = 0;

        srand(seed);
        memset(in_ref, 0, sizeof(in_ref));
        for (unsigned step = 0; step < 40000; step++) {
                unsigned k = (unsigned) rand() % N_KEYS, op = (unsigned) rand() % 3;
                char probe[16];

                memcpy(probe, keys[k], sizeof(probe)); /* equal, not the same pointer */
                if (op == 0) {
                        void *r = hashset_put(&s, keys[k]);
                        if (r != keys[k])
                                fail(in_ref[k] ? "put of a present key did not return it:" : "put did not add", keys[k]);
                        n += !in_ref[k];
                        in_ref[k] = true;
                } else if (op == 1) {
                        void *r = hashset_remove(&s, probe);
                        if (r != (in_ref[k] ? keys[k] : NULL))
                                fail("remove returned the wrong entry for", keys[k]);
                        n -= in_ref[k];
                        in_ref[k] = false;
                } else if (hashset_get(&s, probe) != (in_ref[k] ? keys[k] : NULL))
                        fail("get disagrees with the reference for", keys[k]);
                if (s.n != n)
                        fail("count differs after", keys[k]);
                if (step % 1000 == 0)
                        for (unsigned j = 0; j < N_KEYS; j++)
                                if (hashset_get(&s, keys[j]) != (in_ref[j] ? keys[j] : NULL))
                                        fail("full scan: get disagrees for", keys[j]);
        }
        for (unsigned j = 0; j < N_KEYS; j++)
                if (hashset_get(&s, keys[j]) != (in_ref[j] ? keys[j] : NULL))
                        fail("final scan: get disagrees for", keys[j]);
        n_pass++;
        hashset_done(&s, NULL);
        if (hashset_get(&s, keys[0]) || s.n)
                fail("not empty after hashset_done:", keys[0]);
}

int main(void) {
        for (unsigned i = 0; i < N_KEYS; i++)
                snprintf(keys[i], sizeof(keys[i]), "key%u", i);
        for (unsigned seed = 1; seed <= 3; seed++) {
                run(hash_string_entry, seed);
                run(bad_hash, seed);
        }
        /* different strings, different hashes: a spot check of the hash itself */
        if (hash_string("eno4") == hash_string("eno5") || hash_string("") == hash_string("a"))
                fail("hash_string collides on", "eno4/eno5 or \"\"/a");
        printf("%u runs, %u failures\n", n_pass, n_fail);
        return n_fail ? 1 : 0;
}
