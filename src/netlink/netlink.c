/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "log.h"
#include "netlink.h"
#include "util.h"

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

struct nl {
        struct mnl_socket *sock;
        unsigned portid;
        uint32_t seq;
        char *sbuf;             /* one request at a time */
        char *rbuf;             /* grows to the largest answer seen */
        size_t rbuf_size;
        char errmsg[256];       /* extended ack message of the last error */
};

/* The state of one nl_call(). */
struct call {
        struct nl *nl;
        mnl_cb_t cb;
        void *userdata;
        int error;              /* first error of a data callback */
};

int nl_open(struct nl **ret) {
        _cleanup_nl_ struct nl *nl = NULL;
        int one = 1;

        nl = xcalloc(1, sizeof(*nl));
        nl->sbuf = xmalloc(NL_BUFFER_SIZE);
        nl->rbuf_size = NL_BUFFER_SIZE;
        nl->rbuf = xmalloc(nl->rbuf_size);
        /* Any start will do; a clock-based one keeps two runs' traces apart. */
        nl->seq = (uint32_t) time(NULL);

        nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
        if (!nl->sock)
                return -errno;
        if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
                return -errno;
        nl->portid = mnl_socket_get_portid(nl->sock);

        /* The kernel's own words on why a request failed: worth more than any errno. */
        (void) mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
        /* Errors need not echo our whole request back (it may be a large VF list). */
        (void) mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
        /* Gets and dumps with unknown attributes fail instead of silently ignoring them. */
        (void) mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one, sizeof(one));

        *ret = nl;
        nl = NULL;
        return 0;
}

void nl_close(struct nl *nl) {
        if (!nl)
                return;
        if (nl->sock)
                mnl_socket_close(nl->sock);
        free(nl->sbuf);
        free(nl->rbuf);
        free(nl);
}

struct nlmsghdr *nl_msg_new(struct nl *nl, uint16_t type, uint16_t flags) {
        struct nlmsghdr *nlh;

        memset(nl->sbuf, 0, NL_BUFFER_SIZE);
        nlh = mnl_nlmsg_put_header(nl->sbuf);
        nlh->nlmsg_type = type;
        nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
        return nlh;
}

const char *nl_error_message(const struct nl *nl) {
        return nl->errmsg;
}

/* Keeps NLMSGERR_ATTR_MSG of an error or done message; offset is where the TLVs begin. */
static void save_ext_ack(struct nl *nl, const struct nlmsghdr *nlh, size_t offset) {
        const struct nlattr *attr;

        if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
                return;

        mnl_attr_for_each(attr, nlh, offset) {
                if (mnl_attr_get_type(attr) != NLMSGERR_ATTR_MSG)
                        continue;
                if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
                        return;
                snprintf(nl->errmsg, sizeof(nl->errmsg), "%s", mnl_attr_get_str(attr));
                /* No trailing newline: some kernel messages end with one. */
                nl->errmsg[strcspn(nl->errmsg, "\n")] = '\0';
                return;
        }
}

static int error_cb(const struct nlmsghdr *nlh, void *data) {
        struct call *call = data;
        const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
        size_t offset = sizeof(*err);

        if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err))) {
                errno = EBADMSG;
                return MNL_CB_ERROR;
        }
        /* An error of 0 is the ack: the request is done. */
        if (err->error == 0)
                return MNL_CB_STOP;

        /* Without NETLINK_CAP_ACK the kernel echoes our request before the TLVs. */
        if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
                offset += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
        save_ext_ack(call->nl, nlh, offset);

        errno = err->error < 0 ? -err->error : err->error;
        return MNL_CB_ERROR;
}

static int done_cb(const struct nlmsghdr *nlh, void *data) {
        struct call *call = data;
        int error;

        /* A dump that failed part way ends with its error in NLMSG_DONE. */
        if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
                return MNL_CB_STOP;
        memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(int));
        if (error >= 0)
                return MNL_CB_STOP;

        save_ext_ack(call->nl, nlh, sizeof(int));
        errno = -error;
        return MNL_CB_ERROR;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data) {
        return MNL_CB_OK;
}

static int overrun_cb(const struct nlmsghdr *nlh, void *data) {
        errno = ENOSPC;
        return MNL_CB_ERROR;
}

static int data_cb(const struct nlmsghdr *nlh, void *data) {
        struct call *call = data;

        /*
         * After a callback failed, keep reading to the end of the answer
         * (so that the next request does not find its tail) but skip the rest.
         */
        if (!call->cb || call->error < 0)
                return MNL_CB_OK;
        if (call->cb(nlh, call->userdata) <= MNL_CB_ERROR)
                call->error = errno > 0 ? -errno : -EINVAL;
        return MNL_CB_OK;
}

/* Not const: mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
        [NLMSG_NOOP] = noop_cb,
        [NLMSG_ERROR] = error_cb,
        [NLMSG_DONE] = done_cb,
        [NLMSG_OVERRUN] = overrun_cb,
};

/*
 * One datagram from the kernel.  Its size is peeked first, so that an answer
 * larger than the buffer (a PF with hundreds of VFs) grows it instead of
 * being cut off.
 */
static ssize_t nl_recv(struct nl *nl) {
        struct sockaddr_nl addr;
        struct iovec iov;
        struct msghdr msg = {
                .msg_name = &addr,
                .msg_namelen = sizeof(addr),
                .msg_iov = &iov,
                .msg_iovlen = 1,
        };
        int fd = mnl_socket_get_fd(nl->sock);
        ssize_t n;

        for (;;) {
                n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if ((size_t) n > nl->rbuf_size) {
                        nl->rbuf_size = (size_t) n;
                        nl->rbuf = xrealloc(nl->rbuf, nl->rbuf_size);
                }

                iov = (struct iovec) { .iov_base = nl->rbuf, .iov_len = nl->rbuf_size };
                n = recvmsg(fd, &msg, 0);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (msg.msg_flags & MSG_TRUNC)
                        return -ENOSPC;
                /* Only the kernel talks to us; anything else is dropped. */
                if (msg.msg_namelen != sizeof(addr) || addr.nl_pid != 0)
                        continue;
                return n;
        }
}

int nl_call(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *userdata) {
        struct call call = { .nl = nl, .cb = cb, .userdata = userdata };
        uint32_t seq;
        ssize_t n;
        int r;

        nl->errmsg[0] = '\0';
        req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
        req->nlmsg_seq = seq = ++nl->seq;
        req->nlmsg_pid = 0;

        if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
                return -errno;

        for (;;) {
                n = nl_recv(nl);
                if (n < 0)
                        return (int) n;

                /* mnl_cb_run2() checks sequence number and port of every message. */
                r = mnl_cb_run2(nl->rbuf, (size_t) n, seq, nl->portid, data_cb, &call,
                                ctl_cb, ELEMENTSOF(ctl_cb));
                if (r == MNL_CB_ERROR)
                        return errno > 0 ? -errno : -EPROTO;
                if (r == MNL_CB_STOP)
                        return call.error;
        }
}

int nl_log_error(const struct nl *nl, int error, const char *fmt, ...) {
        char what[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);

        if (nl && nl->errmsg[0])
                return log_error_errno(error, "%s: %m (kernel: %s)", what, nl->errmsg);
        return log_error_errno(error, "%s: %m", what);
}
