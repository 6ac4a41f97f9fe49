/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A set of pointers found by key: open addressing with linear probing, at
 * most half full, removal by backward shift (no tombstones).  The set owns
 * only its slot array; what the entries point at is the caller's.  Lookups,
 * insertions and removals take constant time on average, whatever the order
 * of insertion: the loader, the net graph and the emitter look every name up
 * through one, so that their cost stays linear in the size of the config.
 *
 * hash() and eq() see entries and keys alike: a key is an entry with only the
 * fields they read set (as with tsearch()).  String hashes are seeded per
 * process (hash_string()); nothing iterates a set, so its order never shows.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hashset_slot {
        void *entry; /* NULL: empty */
        uint64_t hash;
};

struct hashset {
        struct hashset_slot *slot;
        size_t n, mask; /* capacity mask+1, a power of two; no array while empty */
        uint64_t (*hash)(const void *entry);
        bool (*eq)(const void *a, const void *b);
};

#define HASHSET_INIT(h, e) ((struct hashset) { .hash = (h), .eq = (e) })

/* The entry equal to key, or NULL. */
void *hashset_get(const struct hashset *s, const void *key);
/* Adds entry unless an equal one is in the set; returns the one in the set (entry if it was added). */
void *hashset_put(struct hashset *s, void *entry);
/* Takes out the entry equal to key and returns it, or NULL if there is none. */
void *hashset_remove(struct hashset *s, const void *key);
/* Frees the slot array (and, with free_entry, calls it on every entry); the set is empty again. */
void hashset_done(struct hashset *s, void (*free_entry)(void *));

/* A hash of the bytes of s (8 at a time, multiply and xor-shift), from a seed that is random per
 * process (AT_RANDOM: no system call).  Not a cryptographic hash: it spreads names well, and the
 * seed keeps a config from being written to collide on purpose. */
uint64_t hash_string(const char *s);
/* h with v folded in, for keys of several fields. */
uint64_t hash_mix(uint64_t h, uint64_t v);
/* For sets of plain strings (entries are char *). */
uint64_t hash_string_entry(const void *s);
bool streq_entry(const void *a, const void *b);
