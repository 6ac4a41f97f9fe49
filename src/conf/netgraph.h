/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "conf.h"

/* Checks the network objects together (ports, masters, loops) and drops what cannot be built. */
void netgraph_check(struct conf *c, struct diag *d);
