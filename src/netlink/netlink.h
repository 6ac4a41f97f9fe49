/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * A small rtnetlink layer on libmnl: the static library hostvirt-netlink
 * (src/netlink), which every program that talks to the kernel's network stack
 * links: hostvirt-net, hostvirt-vf and hostvirt(8).  Above it in this folder:
 * link.h (read, create, change and delete links) and vfinfo.h (a PF's VF list).
 *
 * One socket per program.  Every request carries NLM_F_ACK and a fresh
 * sequence number, and nl_call() reads until the kernel's answer to exactly
 * that request is complete: the ack, the end of a dump, or an error.  The
 * socket asks for extended acks (NETLINK_EXT_ACK), so when the kernel says
 * why it refused something, nl_error_message() has its words; callers put
 * them into their log line next to the device name (see nl_log_error()).
 *
 * Building a request: nl_msg_new() hands out the socket's one send buffer
 * (NL_BUFFER_SIZE bytes) with the header filled in; add the family header
 * and attributes with libmnl's mnl_nlmsg_put_extra_header() and
 * mnl_attr_put*(), then nl_call().  Large nested requests (a VF list of a
 * PF with many VFs) should use the mnl_attr_*_check() variants with
 * NL_BUFFER_SIZE, which fail cleanly instead of overrunning.
 */

#include <libmnl/libmnl.h>
#include <stdint.h>

/* Big enough for one RTM_NEWLINK answer of a PF with its whole VF list. */
#define NL_BUFFER_SIZE (64 * 1024)

struct nl;

int nl_open(struct nl **ret);
void nl_close(struct nl *nl);
static inline void nl_closep(struct nl **nl) {
        if (*nl)
                nl_close(*nl);
}
#define _cleanup_nl_ __attribute__((cleanup(nl_closep)))

/* A request of this type in the send buffer; NLM_F_REQUEST|NLM_F_ACK are added. */
struct nlmsghdr *nl_msg_new(struct nl *nl, uint16_t type, uint16_t flags);

/*
 * Sends req and reads the answers.  Every data message of the answer is
 * passed to cb (may be NULL), as in mnl_cb_run().  Returns 0 when the kernel
 * acked (or a dump ended), or a negative errno: the kernel's error for the
 * request (its extended ack message in nl_error_message()), -EPROTO for a
 * message out of sequence, or the error cb returned through errno.
 */
int nl_call(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *userdata);

/* The kernel's extended ack message for the last failed nl_call(), or "". */
const char *nl_error_message(const struct nl *nl);

/*
 * Logs "<what>: <strerror> (kernel: <extended ack>)" at error level and
 * returns error; the part in parentheses only when the kernel said more.
 * what should name the device, e.g. "Failed to create bridge br20".
 */
int nl_log_error(const struct nl *nl, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
