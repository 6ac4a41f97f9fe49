/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * hostvirt-net: sets up and tears down the [VLAN X], [Bridge X] and [Bond X]
 * objects of the configuration, for hostvirt-vlan@X.service,
 * hostvirt-bridge@X.service and hostvirt-bond@X.service, in one transaction
 * that all three share (netdev.h).
 *
 * start is idempotent: an existing device of the right kind is adopted and
 * its settings fixed; a device of the same name but another kind (or a VLAN
 * on another parent or with another id, which cannot change in place) is an
 * error that changes nothing.  What start did is recorded (state.h), and
 * stop undoes exactly that: it deletes a device only if start created it,
 * and releases only the ports start enslaved.  A start that fails part way
 * undoes what it did before it returns.
 */

#include "model.h"

/* The bridge whose Ports= lists the VLAN (Bridge= puts it there too), or NULL. */
const struct conf_bridge *vlan_bridge(const struct conf *c, const struct conf_vlan *v);
