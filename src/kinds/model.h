/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The whole model, for the programs above it: the loader, the list of kinds and every kind's object. */

#include "bond.h"
#include "conf.h"
#include "hugepages.h"
#include "kinds.h"
#include "libvirt.h"
#include "sriov.h"
#include "virtiofs.h"
#include "vlan.h"
