/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prints "TYPE KEY" for every key of every kind's key table, for test-keys-documented.py. */
#include <stdio.h>

#include "kinds.h"
#include "section.h"

int main(void) {
        for (size_t i = 0; kinds_all[i]; i++)
                for (const struct key_def *k = kinds_all[i]->keys; k->name; k++)
                        printf("%s %s\n", kinds_all[i]->type, k->name);
        return fflush(stdout) == 0 ? 0 : 1;
}
