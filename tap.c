// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap.c - The guest side: frames from and to the guest, for both back-ends
 *
 * Theory of operation
 *
 * passt: qemu connects to a UNIX domain stream socket and every Ethernet
 * frame on it is preceded by its length, a 32-bit big-endian integer.  One
 * guest is served at a time.  Reads fill one large static buffer with as many
 * frames as are ready; a frame split across reads stays at the end of the
 * buffer and is moved to its start before the next read.  A length that
 * cannot be a frame (shorter than an Ethernet header, longer than the largest
 * frame) means the stream is garbage: the connection is dropped and we wait
 * for the next guest.
 *
 * pasta: a tap device in the target namespace, one frame per read(), read in
 * a loop into the same buffer until the device has nothing more.
 *
 * Both back-ends then hand every frame, as a descriptor in a packet pool, to
 * the same L2/L3 parser: lengths, versions and header lengths are checked,
 * the guest's addresses are recorded as they are seen, and the payload is
 * passed, again as a one-packet pool, to the service or protocol handler.
 * Nothing here trusts a length field that it has not checked against the
 * stored frame.
 *
 * Towards the guest, frames are built here (Ethernet, IPv4/IPv6 and UDP or
 * ICMPv6 headers with their checksums) and written straight away: passt
 * prefixes each with its length, pasta writes one per write().
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "arp.h"
#include "busypoll.h"
#include "checksum.h"
#include "dhcp.h"
#include "dhcpv6.h"
#include "icmp.h"
#include "log.h"
#include "ndp.h"
#include "packet.h"
#include "passt.h"
#include "pcap.h"
#include "tap.h"
#include "tcp.h"
#include "udp.h"
#include "util.h"

/* #syscalls:passt socket bind listen accept4 connect recvfrom sendmsg
 * #syscalls:passt unlink poll ppoll setsockopt
 * #syscalls:pasta read write writev ioctl openat
 */

#define TAP_BUF_BYTES		(8 * 1024 * 1024)
#define TAP_MSGS		(TAP_BUF_BYTES / 64)
#define TAP_SEND_BATCH		64	/* frames per sendmsg() */
#define TAP_SEND_TIMEOUT_MS	1000	/* to finish a frame sent in part */
#define TAP_IP6_EXT_MAX		8	/* extension headers walked */
#define TAP_PASST_SNDBUF	(4 * 1024 * 1024)
#define TAP_VNET_HDR_MAX	32	/* virtio-net header, --fd tap devices */

static char tap_buf[TAP_BUF_BYTES];
static size_t tap_buf_have;	/* passt: bytes of a partial frame kept */
static struct iovec tap_pool_pkt[TAP_MSGS];
static struct pool tap_pool = {
	.buf = tap_buf, .buf_size = sizeof(tap_buf),
	.pkt = tap_pool_pkt, .size = TAP_MSGS,
};

static char tap_out[TAP_FRAME_MAX];	/* frames built for the guest */

/**
 * struct tap_flow_key - What makes consecutive segments one batch
 * @af:		AF_INET or AF_INET6
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @saddr:	source address (IPv4 in the first four bytes)
 * @daddr:	destination address
 * @sport:	source port, network order
 * @dport:	destination port, network order
 */
struct tap_flow_key {
	int af;
	int proto;
	struct in6_addr saddr;
	struct in6_addr daddr;
	uint16_t sport;
	uint16_t dport;
};

/* Consecutive TCP or UDP segments of one flow, handed over as one batch */
static struct tap_flow_key tap_seq_key;
static struct iovec tap_seq_pkt[TAP_SEQ_BATCH];
static struct pool tap_seq = {
	.buf = tap_buf, .buf_size = sizeof(tap_buf),
	.pkt = tap_seq_pkt, .size = TAP_SEQ_BATCH,
};

static const unsigned char tap_mac_bcast[ETH_ADDR_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/**
 * tap_passt_write() - Write frames, each with its length prefix, to qemu
 * @c:		execution context
 * @frames:	frames, one per entry
 * @n:		number of frames, at most TAP_SEND_BATCH
 *
 * A stream socket may take only part of what we send.  Whole frames that
 * were not taken are dropped, like on a congested link, but a frame sent in
 * part must be completed, or the stream would lose its framing.
 *
 * Return: 0 on success, -1 if the connection is unusable
 */
static int tap_passt_write(const struct ctx *c, const struct iovec *frames,
			   size_t n)
{
	struct iovec iov[TAP_SEND_BATCH * 2];
	uint32_t prefix[TAP_SEND_BATCH];
	struct msghdr mh = { .msg_iov = iov };
	size_t i, total = 0, done;
	ssize_t sent;

	for (i = 0; i < n; i++) {
		prefix[i] = htonl((uint32_t)frames[i].iov_len);
		iov[i * 2].iov_base = &prefix[i];
		iov[i * 2].iov_len = sizeof(prefix[i]);
		iov[i * 2 + 1] = frames[i];
		total += sizeof(prefix[i]) + frames[i].iov_len;
	}
	mh.msg_iovlen = n * 2;

	sent = sendmsg(c->fd_tap, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (sent < 0)
		return (errno == EAGAIN || errno == EINTR) ? 0 : -1;
	if ((size_t)sent == total)
		return 0;

	/* Find the frame that was cut, finish it, drop the ones after it */
	for (i = 0, done = 0; i < n * 2; i++) {
		if (done + iov[i].iov_len > (size_t)sent)
			break;
		done += iov[i].iov_len;
	}
	if (i % 2 == 0 && done == (size_t)sent)
		return 0;	/* cut between frames: nothing to finish */

	/* Cut in a prefix (even entry): finish it and its frame */
	iov[i].iov_base = (char *)iov[i].iov_base + ((size_t)sent - done);
	iov[i].iov_len -= (size_t)sent - done;
	mh.msg_iov = &iov[i];
	mh.msg_iovlen = (i % 2 == 0) ? 2 : 1;

	while (mh.msg_iovlen) {
		struct pollfd pfd = { .fd = c->fd_tap, .events = POLLOUT };

		if (poll(&pfd, 1, TAP_SEND_TIMEOUT_MS) <= 0)
			return -1;
		sent = sendmsg(c->fd_tap, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (sent < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (sent < 0)
			return -1;
		while (mh.msg_iovlen && (size_t)sent >= mh.msg_iov->iov_len) {
			sent -= (ssize_t)mh.msg_iov->iov_len;
			mh.msg_iov++;
			mh.msg_iovlen--;
		}
		if (mh.msg_iovlen) {
			mh.msg_iov->iov_base = (char *)mh.msg_iov->iov_base +
					       sent;
			mh.msg_iov->iov_len -= (size_t)sent;
		}
	}
	return 0;
}

/**
 * tap_vnet_offload() - Leave the L4 checksum, and segmentation, to the kernel
 * @vh:		virtio-net header to fill
 * @frame:	Ethernet frame whose TCP or UDP checksum field holds only the
 *		pseudo-header sum
 * @len:	frame length
 * @gso:	TCP: segment size the payload is to be cut into, 0 if it's one
 *
 * The segment then enters the namespace as CHECKSUM_PARTIAL: delivered
 * locally, nobody sums it at all; forwarded, it is completed where needed.
 * A frame carrying many segments enters as one GSO packet, as if received
 * and coalesced (GRO): it is cut into segments only if forwarded.
 */
static void tap_vnet_offload(struct virtio_net_hdr *vh, const char *frame,
			     size_t len, uint16_t gso)
{
	size_t l3 = ETH_HDR_LEN, l4;
	uint16_t type;
	uint8_t proto;

	if (len < l3 + sizeof(struct ip6_hdr))
		return;
	memcpy(&type, frame + ETH_HDR_LEN - 2, sizeof(type));
	if (type == htons(ETH_P_IP)) {
		l4 = l3 + (size_t)(frame[l3] & 0x0f) * 4;
		proto = (uint8_t)frame[l3 + offsetof(struct iphdr, protocol)];
	} else if (type == htons(ETH_P_IPV6)) {
		l4 = l3 + sizeof(struct ip6_hdr);
		proto = (uint8_t)frame[l3 + offsetof(struct ip6_hdr,
						       ip6_nxt)];
	} else {
		return;
	}

	vh->csum_start = (uint16_t)l4;
	if (proto == IPPROTO_TCP)
		vh->csum_offset = offsetof(struct tcphdr, check);
	else if (proto == IPPROTO_UDP)
		vh->csum_offset = offsetof(struct udphdr, check);
	else
		return;
	if (l4 + vh->csum_offset + 2 > len)
		return;
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;

	if (!gso || proto != IPPROTO_TCP || l4 + sizeof(struct tcphdr) > len)
		return;
	/* Data offset: high nibble of byte 12, in 32-bit words */
	vh->hdr_len = (uint16_t)(l4 + ((uint8_t)frame[l4 + 12] >> 4) * 4U);
	vh->gso_size = gso;
	vh->gso_type = type == htons(ETH_P_IP) ? VIRTIO_NET_HDR_GSO_TCPV4 :
						 VIRTIO_NET_HDR_GSO_TCPV6;
}

/**
 * tap_pasta_write() - Write frames to the tap device, one per write
 * @c:		execution context
 * @frames:	frames, one per entry
 * @gso:	if not NULL, frames for tap_vnet_offload(), with their TCP
 *		segment sizes
 * @n:		number of frames
 */
static void tap_pasta_write(const struct ctx *c, const struct iovec *frames,
			    const uint16_t *gso, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		union {
			struct virtio_net_hdr vh;
			char bytes[TAP_VNET_HDR_MAX];
		} h = { 0 };
		struct iovec iov[2] = {
			{ .iov_base = &h, .iov_len = (size_t)c->tap_vnet_hdr },
			frames[i],
		};
		ssize_t rc;

		if (!c->tap_vnet_hdr) {
			rc = write(c->fd_tap, frames[i].iov_base,
				   frames[i].iov_len);
		} else {
			if (gso)
				tap_vnet_offload(&h.vh, frames[i].iov_base,
						 frames[i].iov_len, gso[i]);
			rc = writev(c->fd_tap, iov, 2);
		}
		if (rc < 0)
			trace("tap: write failed: %s", strerror(errno));
	}
}

/**
 * tap_offload() - Whether L4 checksums and TCP segmentation may be left to
 *		   the kernel
 * @c:		execution context
 *
 * Only pasta's tap device takes such frames (virtio-net header), and a
 * capture must show complete frames of the guest's MTU.
 *
 * Return: true if frames may go to tap_send_frames_offload()
 */
bool tap_offload(const struct ctx *c)
{
	return c->mode == MODE_PASTA && c->tap_vnet_hdr && !pcap_active();
}

/**
 * tap_send() - Send complete Ethernet frames to the guest
 * @c:		execution context
 * @frames:	frames, one per entry
 * @gso:	NULL, or TCP segment sizes for tap_send_frames_offload()
 * @n:		number of frames
 *
 * Frames that cannot be sent right now are dropped: the guest's protocols
 * recover as they would from loss on a real link.
 */
static void tap_send(const struct ctx *c, const struct iovec *frames,
		     const uint16_t *gso, size_t n)
{
	size_t i, bytes = 0;

	pcap_framev(frames, n);
	if (c->fd_tap < 0)
		return;
	for (i = 0; i < n; i++)
		bytes += frames[i].iov_len;
	busy_poll_moved(bytes);

	if (c->mode == MODE_PASTA) {
		tap_pasta_write(c, frames, gso, n);
		return;
	}

	for (i = 0; i < n; i += TAP_SEND_BATCH) {
		if (tap_passt_write(c, frames + i,
				    MIN(n - i, (size_t)TAP_SEND_BATCH))) {
			debug("tap: write to guest failed: %s",
			      strerror(errno));
			return;
		}
	}
}

/**
 * tap_send_frames() - Send complete Ethernet frames to the guest
 * @c:		execution context
 * @frames:	frames, one per entry
 * @n:		number of frames
 */
void tap_send_frames(const struct ctx *c, const struct iovec *frames,
		     size_t n)
{
	tap_send(c, frames, NULL, n);
}

/**
 * tap_send_frames_offload() - Send frames the kernel completes
 * @c:		execution context
 * @frames:	frames, one per entry, TCP or UDP checksum fields holding
 *		only the pseudo-header sum (csum_partial_field())
 * @gso:	for each frame, the size of the TCP segments its payload is
 *		to be cut into, 0 if it's a single segment
 * @n:		number of frames
 *
 * Only if tap_offload() said so.
 */
void tap_send_frames_offload(const struct ctx *c, const struct iovec *frames,
			     const uint16_t *gso, size_t n)
{
	tap_send(c, frames, gso, n);
}

/**
 * tap_send_frame() - Send one complete Ethernet frame to the guest
 * @c:		execution context
 * @frame:	frame
 * @len:	its length
 */
void tap_send_frame(const struct ctx *c, const void *frame, size_t len)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)frame,
			     .iov_len = len };

	tap_send_frames(c, &iov, 1);
}

/**
 * tap_guest_mac() - Destination MAC for a frame to the guest
 * @c:		execution context
 *
 * Return: the guest's MAC if known, the broadcast address otherwise
 */
static const unsigned char *tap_guest_mac(const struct ctx *c)
{
	static const unsigned char zero[ETH_ADDR_LEN];

	if (!memcmp(c->guest_mac, zero, ETH_ADDR_LEN))
		return tap_mac_bcast;
	return c->guest_mac;
}

/**
 * tap_eth_hdr() - Write an Ethernet header at the start of a buffer
 * @c:		execution context
 * @buf:	buffer, at least ETH_HDR_LEN bytes
 * @dst:	destination MAC
 * @ethertype:	EtherType, host order
 *
 * Return: pointer just past the header
 */
static char *tap_eth_hdr(const struct ctx *c, char *buf,
			 const unsigned char *dst, uint16_t ethertype)
{
	uint16_t type = htons(ethertype);

	memcpy(buf, dst, ETH_ADDR_LEN);
	memcpy(buf + ETH_ADDR_LEN, c->our_tap_mac, ETH_ADDR_LEN);
	memcpy(buf + 2 * ETH_ADDR_LEN, &type, sizeof(type));
	return buf + ETH_HDR_LEN;
}

/**
 * tap_eth_send() - Send an Ethernet frame with a given payload
 * @c:		execution context
 * @dst_mac:	destination MAC
 * @ethertype:	EtherType, host order
 * @payload:	payload
 * @len:	payload length
 */
void tap_eth_send(const struct ctx *c, const unsigned char *dst_mac,
		  uint16_t ethertype, const void *payload, size_t len)
{
	char *p;

	if (len > sizeof(tap_out) - ETH_HDR_LEN)
		return;
	p = tap_eth_hdr(c, tap_out, dst_mac, ethertype);
	memcpy(p, payload, len);
	tap_send_frame(c, tap_out, ETH_HDR_LEN + len);
}

/**
 * tap_ip4_hdr() - Write an IPv4 header, checksum included
 * @buf:	buffer
 * @src:	source address
 * @dst:	destination address
 * @proto:	protocol number
 * @l4len:	length of what follows the header
 *
 * Return: pointer just past the header
 */
static char *tap_ip4_hdr(char *buf, struct in_addr src, struct in_addr dst,
			 uint8_t proto, size_t l4len)
{
	struct iphdr ip = {
		.version = 4, .ihl = sizeof(ip) / 4,
		.tot_len = htons((uint16_t)(sizeof(ip) + l4len)),
		.frag_off = htons(IP_DF), .ttl = 255, .protocol = proto,
		.saddr = src.s_addr, .daddr = dst.s_addr,
	};

	ip.check = csum(&ip, sizeof(ip), 0);
	memcpy(buf, &ip, sizeof(ip));
	return buf + sizeof(ip);
}

/**
 * tap_udp4_send() - Send a UDP datagram over IPv4 to the guest
 * @c:		execution context
 * @src:	source address
 * @sport:	source port, host order
 * @dst:	destination address
 * @dport:	destination port, host order
 * @payload:	UDP payload
 * @len:	payload length
 */
void tap_udp4_send(const struct ctx *c, struct in_addr src, uint16_t sport,
		   struct in_addr dst, uint16_t dport,
		   const void *payload, size_t len)
{
	size_t l4len = sizeof(struct udphdr) + len;
	const unsigned char *mac = tap_guest_mac(c);
	struct udphdr uh;
	char *p, *l4;

	if (l4len > 65535 - sizeof(struct iphdr))
		return;
	if (dst.s_addr == htonl(INADDR_BROADCAST))
		mac = tap_mac_bcast;

	p = tap_eth_hdr(c, tap_out, mac, ETH_P_IP);
	l4 = tap_ip4_hdr(p, src, dst, IPPROTO_UDP, l4len);

	uh = (struct udphdr){ .source = htons(sport), .dest = htons(dport),
			      .len = htons((uint16_t)l4len) };
	memcpy(l4, &uh, sizeof(uh));
	memcpy(l4 + sizeof(uh), payload, len);
	uh.check = csum(l4, l4len, csum_pseudo4(src, dst, IPPROTO_UDP, l4len));
	if (!uh.check)
		uh.check = 0xffff;
	memcpy(l4 + offsetof(struct udphdr, check), &uh.check,
	       sizeof(uh.check));

	tap_send_frame(c, tap_out, (size_t)(l4 - tap_out) + l4len);
}

/**
 * tap_ip6_hdr() - Write Ethernet and IPv6 headers for a frame to the guest
 * @c:		execution context
 * @buf:	buffer for the headers
 * @src:	source address
 * @dst:	destination address, multicast picks a multicast MAC
 * @proto:	next header
 * @l4len:	payload length
 *
 * Return: pointer just past the IPv6 header
 */
static char *tap_ip6_hdr(const struct ctx *c, char *buf,
			 const struct in6_addr *src,
			 const struct in6_addr *dst, uint8_t proto,
			 size_t l4len)
{
	unsigned char mac[ETH_ADDR_LEN] = { 0x33, 0x33 };
	struct ip6_hdr ip6 = { 0 };
	char *p;

	if (IN6_IS_ADDR_MULTICAST(dst)) {
		memcpy(mac + 2, &dst->s6_addr[12], 4);
		p = tap_eth_hdr(c, buf, mac, ETH_P_IPV6);
	} else {
		p = tap_eth_hdr(c, buf, tap_guest_mac(c), ETH_P_IPV6);
	}

	ip6.ip6_flow = htonl(6U << 28);
	ip6.ip6_plen = htons((uint16_t)l4len);
	ip6.ip6_nxt = proto;
	ip6.ip6_hlim = 255;
	ip6.ip6_src = *src;
	ip6.ip6_dst = *dst;
	memcpy(p, &ip6, sizeof(ip6));
	return p + sizeof(ip6);
}

/**
 * tap_udp6_send() - Send a UDP datagram over IPv6 to the guest
 * @c:		execution context
 * @src:	source address
 * @sport:	source port, host order
 * @dst:	destination address
 * @dport:	destination port, host order
 * @payload:	UDP payload
 * @len:	payload length
 */
void tap_udp6_send(const struct ctx *c, const struct in6_addr *src,
		   uint16_t sport, const struct in6_addr *dst, uint16_t dport,
		   const void *payload, size_t len)
{
	size_t l4len = sizeof(struct udphdr) + len;
	struct udphdr uh;
	char *l4;

	if (l4len > 65535)
		return;
	l4 = tap_ip6_hdr(c, tap_out, src, dst, IPPROTO_UDP, l4len);

	uh = (struct udphdr){ .source = htons(sport), .dest = htons(dport),
			      .len = htons((uint16_t)l4len) };
	memcpy(l4, &uh, sizeof(uh));
	memcpy(l4 + sizeof(uh), payload, len);
	uh.check = csum(l4, l4len, csum_pseudo6(src, dst, IPPROTO_UDP, l4len));
	if (!uh.check)
		uh.check = 0xffff;
	memcpy(l4 + offsetof(struct udphdr, check), &uh.check,
	       sizeof(uh.check));

	tap_send_frame(c, tap_out, (size_t)(l4 - tap_out) + l4len);
}

/**
 * tap_icmp6_send() - Send an ICMPv6 message to the guest, hop limit 255
 * @c:		execution context
 * @src:	source address
 * @dst:	destination address
 * @msg:	ICMPv6 message, checksum field is filled in here
 * @len:	message length, at least 4
 */
void tap_icmp6_send(const struct ctx *c, const struct in6_addr *src,
		    const struct in6_addr *dst, const void *msg, size_t len)
{
	uint16_t sum;
	char *l4;

	if (len < 4 || len > 65535)
		return;
	l4 = tap_ip6_hdr(c, tap_out, src, dst, IPPROTO_ICMPV6, len);
	memcpy(l4, msg, len);
	memset(l4 + 2, 0, 2);
	sum = csum(l4, len, csum_pseudo6(src, dst, IPPROTO_ICMPV6, len));
	memcpy(l4 + 2, &sum, sizeof(sum));

	tap_send_frame(c, tap_out, (size_t)(l4 - tap_out) + len);
}

/**
 * tap_l2l3_hdr() - Write Ethernet and IP headers for a frame to the guest
 * @c:		execution context
 * @buf:	buffer, at least tap_l2l3_len(@af) bytes
 * @af:		AF_INET or AF_INET6
 * @src:	source address (struct in_addr or struct in6_addr)
 * @dst:	destination address, same type
 * @proto:	transport protocol
 * @l4len:	length of the transport header and payload
 *
 * Transport checksums are the caller's: it knows where its data is.
 *
 * Return: length of the headers written
 */
size_t tap_l2l3_hdr(const struct ctx *c, char *buf, int af, const void *src,
		    const void *dst, uint8_t proto, size_t l4len)
{
	char *end;

	if (af == AF_INET) {
		struct in_addr s, d;

		memcpy(&s, src, sizeof(s));
		memcpy(&d, dst, sizeof(d));
		end = tap_eth_hdr(c, buf, tap_guest_mac(c), ETH_P_IP);
		end = tap_ip4_hdr(end, s, d, proto, l4len);
	} else {
		end = tap_ip6_hdr(c, buf, src, dst, proto, l4len);
	}
	return (size_t)(end - buf);
}

/**
 * tap_one() - Make a one-packet pool from a range of a guest frame
 * @p:		pool to fill, with room for one descriptor
 * @start:	start of the range (already bounds-checked by the caller)
 * @len:	length of the range
 */
static void tap_one(struct pool *p, const char *start, size_t len)
{
	p->buf = start;
	p->buf_size = len;
	p->count = 0;
	packet_add(p, len, start);
}

/**
 * tap_seq_flush() - Hand the pending batch of one flow to its handler
 * @c:		execution context
 * @now:	current time
 */
static void tap_seq_flush(struct ctx *c, const struct timespec *now)
{
	const struct tap_flow_key *k = &tap_seq_key;

	if (!tap_seq.count)
		return;
	if (k->proto == IPPROTO_TCP && !c->no_tcp)
		tcp_tap_handler(c, k->af, &k->saddr, &k->daddr, &tap_seq, now);
	else if (k->proto == IPPROTO_UDP && !c->no_udp)
		udp_tap_handler(c, k->af, &k->saddr, &k->daddr, &tap_seq, now);
	pool_flush(&tap_seq);
}

/**
 * tap_seq_add() - Queue a TCP or UDP segment, batching it with its flow
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @proto:	IPPROTO_TCP or IPPROTO_UDP
 * @saddr:	source address (in_addr or in6_addr)
 * @daddr:	destination address
 * @l4:		transport header and payload, inside tap_buf
 * @l4len:	their length, at least 4 (the ports)
 * @now:	current time
 */
static void tap_seq_add(struct ctx *c, int af, int proto, const void *saddr,
			const void *daddr, const char *l4, size_t l4len,
			const struct timespec *now)
{
	size_t alen = af == AF_INET ? sizeof(struct in_addr) :
				      sizeof(struct in6_addr);
	struct tap_flow_key k;

	memset(&k, 0, sizeof(k));
	k.af = af;
	k.proto = proto;
	memcpy(&k.saddr, saddr, alen);
	memcpy(&k.daddr, daddr, alen);
	memcpy(&k.sport, l4, sizeof(k.sport));
	memcpy(&k.dport, l4 + sizeof(k.sport), sizeof(k.dport));

	if (tap_seq.count &&
	    (memcmp(&k, &tap_seq_key, sizeof(k)) || pool_full(&tap_seq)))
		tap_seq_flush(c, now);
	tap_seq_key = k;
	packet_add(&tap_seq, l4len, l4);
}

/**
 * tap_icmp() - Hand an ICMP or ICMPv6 echo message to the ping handler
 * @c:		execution context
 * @af:		AF_INET or AF_INET6
 * @saddr:	source address
 * @daddr:	destination address
 * @l4:		ICMP message, inside the frame
 * @l4len:	its length
 * @now:	current time
 */
static void tap_icmp(struct ctx *c, int af, const void *saddr,
		     const void *daddr, const char *l4, size_t l4len,
		     const struct timespec *now)
{
	struct iovec one_pkt[1];
	struct pool one = { .pkt = one_pkt, .size = 1 };

	if (c->no_icmp)
		return;
	tap_one(&one, l4, l4len);
	icmp_tap_handler(c, af, saddr, daddr, &one, now);
}

/**
 * tap_udp4() - Handle a UDP datagram over IPv4 from the guest
 * @c:		execution context
 * @saddr:	source address
 * @daddr:	destination address
 * @l4:		UDP header and payload, checked to lie inside the frame
 * @l4len:	length from the IP header
 * @now:	current time
 */
static void tap_udp4(struct ctx *c, const struct in_addr *saddr,
		     const struct in_addr *daddr, const char *l4, size_t l4len,
		     const struct timespec *now)
{
	struct iovec one_pkt[1];
	struct pool one = { .pkt = one_pkt, .size = 1 };
	struct udphdr uh;
	size_t ulen;

	if (l4len < sizeof(uh)) {
		debug("tap: IPv4 UDP datagram too short");
		return;
	}
	memcpy(&uh, l4, sizeof(uh));
	ulen = ntohs(uh.len);
	/* A UDP length that disagrees with the IP length, either way, makes
	 * the datagram suspect: drop it rather than guess which one is right
	 */
	if (ulen < sizeof(uh) || ulen != l4len) {
		debug("tap: IPv4 UDP length %zu invalid", ulen);
		return;
	}

	if (ntohs(uh.dest) == 67 && !c->no_dhcp) {
		tap_one(&one, l4 + sizeof(uh), ulen - sizeof(uh));
		dhcp(c, &one);
		return;
	}
	tap_seq_add(c, AF_INET, IPPROTO_UDP, saddr, daddr, l4, ulen, now);
}

/**
 * tap_ip4() - Check an IPv4 packet from the guest and dispatch its payload
 * @c:		execution context
 * @p:		pool of guest frames
 * @idx:	index of the frame
 * @now:	current time
 */
static void tap_ip4(struct ctx *c, const struct pool *p, size_t idx,
		    const struct timespec *now)
{
	size_t hlen, tot, avail;
	struct iphdr ip;
	const char *h;

	h = packet_get(p, idx, ETH_HDR_LEN, sizeof(ip), NULL);
	if (!h) {
		debug("tap: IPv4 header truncated");
		return;
	}
	memcpy(&ip, h, sizeof(ip));
	hlen = (size_t)ip.ihl * 4;
	if (ip.version != 4 || hlen < sizeof(ip)) {
		debug("tap: bad IPv4 version or header length");
		return;
	}
	if (!packet_get(p, idx, ETH_HDR_LEN, hlen, &avail)) {
		debug("tap: IPv4 options truncated");
		return;
	}
	tot = ntohs(ip.tot_len);
	if (tot < hlen || tot - hlen > avail) {
		debug("tap: IPv4 total length %zu invalid", tot);
		return;
	}
	if (csum(h, hlen, 0)) {
		debug("tap: bad IPv4 header checksum");
		return;
	}
	if (ntohs(ip.frag_off) & (IP_MF | IP_OFFMASK)) {
		debug("tap: IPv4 fragment dropped");
		return;
	}

	if (ip.saddr != htonl(INADDR_ANY))
		c->ip4.addr_seen.s_addr = ip.saddr;

	switch (ip.protocol) {
	case IPPROTO_UDP:
		tap_udp4(c, (struct in_addr *)&ip.saddr,
			 (struct in_addr *)&ip.daddr, h + hlen, tot - hlen,
			 now);
		break;
	case IPPROTO_TCP:
		if (tot - hlen < 4) {
			debug("tap: IPv4 TCP segment too short");
			break;
		}
		tap_seq_add(c, AF_INET, IPPROTO_TCP, &ip.saddr, &ip.daddr,
			    h + hlen, tot - hlen, now);
		break;
	case IPPROTO_ICMP:
		tap_icmp(c, AF_INET, &ip.saddr, &ip.daddr, h + hlen,
			 tot - hlen, now);
		break;
	default:
		trace("tap: IPv4 protocol %u: no handler", ip.protocol);
	}
}

/**
 * tap_ip6_l4() - Skip IPv6 extension headers
 * @p:		pool of guest frames
 * @idx:	index of the frame
 * @proto:	next header of the fixed header, updated to the upper layer
 * @off:	offset of the first extension header, updated to the upper
 *		layer
 * @end:	offset of the end of the IPv6 payload
 *
 * Return: 0 if an upper-layer header was found, -1 to drop the packet
 */
static int tap_ip6_l4(const struct pool *p, size_t idx, uint8_t *proto,
		      size_t *off, size_t end)
{
	int i;

	for (i = 0; i < TAP_IP6_EXT_MAX; i++) {
		const uint8_t *ext;
		size_t len;

		if (*proto != IPPROTO_HOPOPTS && *proto != IPPROTO_ROUTING &&
		    *proto != IPPROTO_DSTOPTS)
			return *proto == IPPROTO_FRAGMENT ||
			       *proto == IPPROTO_NONE ? -1 : 0;

		ext = packet_get(p, idx, *off, 2, NULL);
		if (!ext)
			return -1;
		len = ((size_t)ext[1] + 1) * 8;
		if (len > end - *off)
			return -1;
		*proto = ext[0];
		*off += len;
	}
	return -1;
}

/**
 * tap_ip6() - Check an IPv6 packet from the guest and dispatch its payload
 * @c:		execution context
 * @p:		pool of guest frames
 * @idx:	index of the frame
 * @now:	current time
 */
static void tap_ip6(struct ctx *c, const struct pool *p, size_t idx,
		    const struct timespec *now)
{
	struct iovec one_pkt[1];
	struct pool one = { .pkt = one_pkt, .size = 1 };
	size_t plen, avail, off, l4len;
	struct ip6_hdr ip6;
	struct udphdr uh;
	const char *h, *l4;
	uint8_t proto;

	h = packet_get(p, idx, ETH_HDR_LEN, sizeof(ip6), &avail);
	if (!h) {
		debug("tap: IPv6 header truncated");
		return;
	}
	memcpy(&ip6, h, sizeof(ip6));
	plen = ntohs(ip6.ip6_plen);
	if ((ip6.ip6_vfc >> 4) != 6 || plen > avail) {
		debug("tap: bad IPv6 version or payload length");
		return;
	}

	if (IN6_IS_ADDR_LINKLOCAL(&ip6.ip6_src))
		c->ip6.addr_ll_seen = ip6.ip6_src;
	else if (!IN6_IS_ADDR_UNSPECIFIED(&ip6.ip6_src) &&
		 !IN6_IS_ADDR_MULTICAST(&ip6.ip6_src))
		c->ip6.addr_seen = ip6.ip6_src;

	proto = ip6.ip6_nxt;
	off = ETH_HDR_LEN + sizeof(ip6);
	if (tap_ip6_l4(p, idx, &proto, &off, off + plen)) {
		debug("tap: IPv6 extension headers unsupported or invalid");
		return;
	}
	l4len = ETH_HDR_LEN + sizeof(ip6) + plen - off;
	l4 = packet_get(p, idx, off, l4len, NULL);
	if (!l4)
		return;

	if (proto == IPPROTO_ICMPV6 && l4len >= 1 &&
	    (uint8_t)l4[0] >= ND_ROUTER_SOLICIT &&
	    (uint8_t)l4[0] <= ND_REDIRECT) {
		if (c->no_ndp || ip6.ip6_hlim != 255)
			return;
		tap_one(&one, l4, l4len);
		ndp(c, &ip6.ip6_src, &one);
		return;
	}

	if (proto == IPPROTO_UDP && l4len >= sizeof(uh)) {
		memcpy(&uh, l4, sizeof(uh));
		/* As for IPv4, lengths must agree */
		if (ntohs(uh.len) < sizeof(uh) || ntohs(uh.len) != l4len) {
			debug("tap: IPv6 UDP length invalid");
			return;
		}
		if (ntohs(uh.dest) == 547 && !c->no_dhcpv6) {
			tap_one(&one, l4 + sizeof(uh),
				ntohs(uh.len) - sizeof(uh));
			dhcpv6(c, &ip6.ip6_src, &one);
			return;
		}
		tap_seq_add(c, AF_INET6, IPPROTO_UDP, &ip6.ip6_src,
			    &ip6.ip6_dst, l4, ntohs(uh.len), now);
		return;
	}

	if (proto == IPPROTO_TCP && l4len >= 4) {
		tap_seq_add(c, AF_INET6, IPPROTO_TCP, &ip6.ip6_src,
			    &ip6.ip6_dst, l4, l4len, now);
		return;
	}
	if (proto == IPPROTO_ICMPV6) {
		tap_icmp(c, AF_INET6, &ip6.ip6_src, &ip6.ip6_dst, l4, l4len,
			 now);
		return;
	}
	trace("tap: IPv6 next header %u: no handler", proto);
}

/**
 * tap_frames() - Parse and dispatch every frame of the tap pool, then empty it
 * @c:		execution context
 * @now:	current time
 */
static void tap_frames(struct ctx *c, const struct timespec *now)
{
	struct iovec one_pkt[1];
	struct pool one = { .pkt = one_pkt, .size = 1 };
	size_t i;

	for (i = 0; i < tap_pool.count; i++) {
		const unsigned char *eh;
		uint16_t type;
		size_t l3len;

		eh = packet_get(&tap_pool, i, 0, ETH_HDR_LEN, &l3len);
		if (!eh)
			continue;
		if (!(eh[ETH_ADDR_LEN] & 1))	/* unicast source */
			memcpy(c->guest_mac, eh + ETH_ADDR_LEN, ETH_ADDR_LEN);
		type = (uint16_t)(eh[12] << 8 | eh[13]);

		switch (type) {
		case ETH_P_ARP:
			if (!c->ifi4)
				break;
			tap_one(&one, (const char *)eh + ETH_HDR_LEN, l3len);
			arp(c, &one);
			break;
		case ETH_P_IP:
			if (c->ifi4)
				tap_ip4(c, &tap_pool, i, now);
			break;
		case ETH_P_IPV6:
			if (c->ifi6)
				tap_ip6(c, &tap_pool, i, now);
			break;
		default:
			trace("tap: EtherType 0x%04x dropped", type);
		}
	}
	tap_seq_flush(c, now);
	pool_flush(&tap_pool);
}

/**
 * tap_sock_reset() - Forget the connected guest (passt), maybe quit
 * @c:		execution context
 */
static void tap_sock_reset(struct ctx *c)
{
	if (c->one_off) {
		info("Client closed connection, exiting");
		exit(EXIT_SUCCESS);
	}

	epoll_ctl(c->epollfd, EPOLL_CTL_DEL, c->fd_tap, NULL);
	close(c->fd_tap);
	c->fd_tap = -1;
	tap_buf_have = 0;
	pool_flush(&tap_pool);
	info("Client connection closed, waiting for a new one");
}

/**
 * tap_passt_parse() - Split the stream in the buffer into frames
 * @end:	bytes of valid data at the start of tap_buf
 *
 * Return: bytes consumed (whole frames), or -1 if the stream is garbage
 */
static ssize_t tap_passt_parse(size_t end)
{
	size_t off = 0;

	while (end - off >= sizeof(uint32_t)) {
		uint32_t len;

		memcpy(&len, tap_buf + off, sizeof(len));
		len = ntohl(len);
		if (len < ETH_HDR_LEN || len > TAP_FRAME_MAX) {
			debug("tap: invalid frame length %u from guest", len);
			return -1;
		}
		if (end - off - sizeof(len) < len)
			break;

		if (pool_full(&tap_pool))
			break;	/* the rest waits in the buffer */
		pcap_frame(tap_buf + off + sizeof(len), len);
		packet_add(&tap_pool, len, tap_buf + off + sizeof(len));
		off += sizeof(len) + len;
	}
	return (ssize_t)off;
}

/**
 * tap_handler_passt() - Read frames from qemu and handle them
 * @c:		execution context
 * @events:	epoll events
 * @now:	current time
 */
void tap_handler_passt(struct ctx *c, uint32_t events,
		       const struct timespec *now)
{

	while (events & EPOLLIN) {
		size_t room = sizeof(tap_buf) - tap_buf_have;
		ssize_t n, used;

		n = recv(c->fd_tap, tap_buf + tap_buf_have, room, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			tap_sock_reset(c);
			return;
		}
		busy_poll_moved((size_t)n);

		used = tap_passt_parse(tap_buf_have + (size_t)n);
		tap_frames(c, now);
		if (used < 0) {
			tap_sock_reset(c);
			return;
		}
		tap_buf_have = tap_buf_have + (size_t)n - (size_t)used;
		memmove(tap_buf, tap_buf + used, tap_buf_have);

		/* Less than the room we had: the stream was drained.  The
		 * event is level-triggered, whatever arrived since will be
		 * reported: no read just to see EAGAIN
		 */
		if ((size_t)n < room)
			break;
	}

	if (events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR))
		tap_sock_reset(c);
}

/**
 * tap_handler_pasta() - Read frames from the tap device and handle them
 * @c:		execution context
 * @events:	epoll events
 * @now:	current time
 */
void tap_handler_pasta(struct ctx *c, uint32_t events,
		       const struct timespec *now)
{
	size_t vhl = (size_t)c->tap_vnet_hdr, off = 0;

	if (!(events & EPOLLIN))
		return;

	for (;;) {
		const char *frame = tap_buf + off + vhl;
		size_t len;
		ssize_t n;

		if (sizeof(tap_buf) - off < vhl + TAP_FRAME_MAX ||
		    pool_full(&tap_pool)) {
			tap_frames(c, now);
			off = 0;
			frame = tap_buf + vhl;
		}

		n = read(c->fd_tap, tap_buf + off, vhl + TAP_FRAME_MAX);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if ((size_t)n < vhl + ETH_HDR_LEN)
			continue;
		len = (size_t)n - vhl;
		busy_poll_moved(len);

		/* The offloads we offer (tap_ns_tun()) leave checksums undone
		 * and TCP segments longer than the MTU: neither matters here,
		 * and nothing in the virtio-net header needs acting on.
		 */
		pcap_frame(frame, len);
		packet_add(&tap_pool, len, frame);
		off += (size_t)n;

		/* Each read returns one frame, and only a read finding none
		 * tells the queue is empty.  A short frame (an ACK, a small
		 * request) usually ends what the guest had to send: stop
		 * there, without that read.  The event is level-triggered:
		 * frames still queued are reported at once, in the next batch.
		 */
		if (len <= TAP_SHORT_FRAME)
			break;
	}
	tap_frames(c, now);
}

/**
 * tap_sock_unix_try() - Bind a UNIX socket to a path if nobody serves it
 * @fd:		socket
 * @path:	path
 *
 * A socket file left behind by a process that is gone refuses connections:
 * such a file is removed and reused.  connect() refuses a file that isn't a
 * socket in the same way, so check the type before unlinking: anything
 * else at the path is somebody's data, and is left alone.
 *
 * Return: 0 if bound, -1 with errno set otherwise
 */
static int tap_sock_unix_try(int fd, const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct stat st;
	int probe, err;

	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);

	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return -1;
	if (!connect(probe, (struct sockaddr *)&addr, sizeof(addr))) {
		close(probe);
		errno = EADDRINUSE;
		return -1;
	}
	err = errno;
	close(probe);
	if (err == ECONNREFUSED) {
		if (lstat(path, &st) || !S_ISSOCK(st.st_mode)) {
			errno = EEXIST;
			return -1;
		}
		unlink(path);
	}

	return bind(fd, (struct sockaddr *)&addr, sizeof(addr));
}

/**
 * tap_sock_unix_init() - Create and bind the listening UNIX socket (passt)
 * @c:		execution context
 */
static void tap_sock_unix_init(struct ctx *c)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_TAP_LISTEN };
	int fd, i;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("UNIX socket: %s", strerror(errno));

	if (*c->sock_path) {
		if (tap_sock_unix_try(fd, c->sock_path))
			die("--socket: can't bind %s: %s", c->sock_path,
			    strerror(errno));
	} else {
		for (i = 1; i <= UNIX_SOCK_MAX; i++) {
			snprintf(c->sock_path, sizeof(c->sock_path),
				 "/tmp/passt_%i.socket", i);
			if (!tap_sock_unix_try(fd, c->sock_path))
				break;
		}
		if (i > UNIX_SOCK_MAX)
			die("No free UNIX socket path in /tmp/passt_1..%i.socket",
			    UNIX_SOCK_MAX);
	}

	if (listen(fd, 0))
		die("listen() on %s: %s", c->sock_path, strerror(errno));

	c->fd_tap_listen = fd;
	passt_epoll_add(c, fd, EPOLLIN, ref);

	info("UNIX domain socket bound at %s", c->sock_path);
	info("You can now start qemu (>= 7.2) with:");
	info("    qemu-system-x86_64 ... -device virtio-net-pci,netdev=s "
	     "-netdev stream,id=s,server=off,addr.type=unix,addr.path=%s",
	     c->sock_path);
}

/**
 * tap_listen_handler() - Accept a guest connection (passt)
 * @c:		execution context
 * @events:	epoll events
 */
void tap_listen_handler(struct ctx *c, uint32_t events)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_TAP_PASST };
	int fd, sndbuf = TAP_PASST_SNDBUF;

	if (!(events & EPOLLIN))
		return;
	fd = accept4(c->fd_tap_listen, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;

	if (c->fd_tap >= 0) {
		info("Refusing a second guest connection: one at a time");
		close(fd);
		return;
	}

	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	c->fd_tap = fd;
	tap_buf_have = 0;
	memset(c->guest_mac, 0, sizeof(c->guest_mac));
	passt_epoll_add(c, fd, EPOLLIN | EPOLLRDHUP, ref);
	info("Accepted connection from guest");
}

/**
 * tap_ns_tun() - Create the tap device, run inside the target namespace
 * @arg:	execution context
 *
 * Return: 0 on success, 1 on failure (errno is shared with the caller)
 */
static int tap_ns_tun(void *arg)
{
	struct ctx *c = arg;
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 1;

	/* With a virtio-net header on each frame, the kernel completes the
	 * checksums of our TCP segments, or skips them on local delivery
	 * (tap_offload()), instead of both of us summing every byte.
	 */
	memcpy(ifr.ifr_name, c->pasta_ifn, IFNAMSIZ);	/* both IFNAMSIZ */
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
		if (ioctl(fd, TUNSETIFF, &ifr)) {
			close(fd);
			return 1;
		}
	}
	c->tap_vnet_hdr = (ifr.ifr_flags & IFF_VNET_HDR) ?
			  (int)sizeof(struct virtio_net_hdr) : 0;

	/* The other way, the namespace may leave us checksums (we only
	 * check IPv4 headers, and write payloads to sockets) and send us TCP
	 * segments as large as an IP packet, whatever its MTU.  A capture
	 * must show frames as they would be on a link: not then.
	 */
	if (c->tap_vnet_hdr && !pcap_active() &&
	    ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6))
		debug("tap: no offloads from the namespace: %s",
		      strerror(errno));

	c->pasta_ifi = if_nametoindex(c->pasta_ifn);
	if (!c->pasta_ifi) {
		close(fd);
		return 1;
	}
	c->fd_tap = fd;
	return 0;
}

/**
 * tap_ns_ifindex() - Find the index of the given tap device, in the namespace
 * @arg:	execution context
 *
 * Return: 0 on success, 1 if there's no such interface
 */
static int tap_ns_ifindex(void *arg)
{
	struct ctx *c = arg;

	c->pasta_ifi = if_nametoindex(c->pasta_ifn);
	return !c->pasta_ifi;
}

/**
 * tap_sock_given() - Use the file descriptor given with -F/--fd
 * @c:		execution context
 *
 * passt: an already connected stream socket, served like an accepted guest
 * (no listening socket; --one-off is implied).  pasta: a tap device, which
 * must be in the target namespace; its name replaces -I.
 */
static void tap_sock_given(struct ctx *c)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_TAP_PASST };
	int type = 0, sndbuf = TAP_PASST_SNDBUF;
	socklen_t sl = sizeof(type);
	struct ifreq ifr = { 0 };

	if (c->mode == MODE_PASST) {
		if (getsockopt(c->fd_tap, SOL_SOCKET, SO_TYPE, &type, &sl) ||
		    type != SOCK_STREAM)
			die("--fd: %i is not a stream socket", c->fd_tap);
		setsockopt(c->fd_tap, SOL_SOCKET, SO_SNDBUF, &sndbuf,
			   sizeof(sndbuf));
		passt_epoll_add(c, c->fd_tap, EPOLLIN | EPOLLRDHUP, ref);
		info("Using connected socket %i (--fd), exiting when it closes",
		     c->fd_tap);
		return;
	}

	if (ioctl(c->fd_tap, TUNGETIFF, &ifr))
		die("--fd: %i is not a tap device: %s", c->fd_tap,
		    strerror(errno));
	if (!(ifr.ifr_flags & IFF_TAP) || !(ifr.ifr_flags & IFF_NO_PI))
		die("--fd: %i is not a tap device without packet information",
		    c->fd_tap);
	if (*c->pasta_ifn && strncmp(c->pasta_ifn, ifr.ifr_name, IFNAMSIZ))
		die("-I: %s is not the name of the tap device given with --fd "
		    "(%.*s)", c->pasta_ifn, IFNAMSIZ, ifr.ifr_name);
	memcpy(c->pasta_ifn, ifr.ifr_name, IFNAMSIZ);
	c->pasta_ifn[IFNAMSIZ - 1] = '\0';
	if (ifr.ifr_flags & IFF_VNET_HDR) {
		int vhl = 0;

		if (ioctl(c->fd_tap, TUNGETVNETHDRSZ, &vhl) ||
		    vhl < (int)sizeof(struct virtio_net_hdr) ||
		    vhl > TAP_VNET_HDR_MAX)
			die("--fd: unusable virtio-net header length %i on "
			    "tap device %i", vhl, c->fd_tap);
		c->tap_vnet_hdr = vhl;
	}
	if (ns_call(c, tap_ns_ifindex, c))
		die("--fd: tap device %s not found in the namespace",
		    c->pasta_ifn);
	if (fd_set_nonblock(c->fd_tap))
		die("--fd: can't make %i non-blocking: %s", c->fd_tap,
		    strerror(errno));

	ref.type = EPOLL_TYPE_TAP_PASTA;
	passt_epoll_add(c, c->fd_tap, EPOLLIN | EPOLLRDHUP, ref);
}

/**
 * tap_sock_init() - Open the guest side: UNIX socket or tap device
 * @c:		execution context
 */
void tap_sock_init(struct ctx *c)
{
	union epoll_ref ref = { .type = EPOLL_TYPE_TAP_PASTA };

	if (c->fd_tap_given) {
		tap_sock_given(c);
		return;
	}

	if (c->mode == MODE_PASST) {
		tap_sock_unix_init(c);
		return;
	}

	errno = 0;
	if (ns_call(c, tap_ns_tun, c))
		die("Failed to create tap device %s in the namespace: %s",
		    c->pasta_ifn, errno ? strerror(errno) : "unknown error");
	passt_epoll_add(c, c->fd_tap, EPOLLIN | EPOLLRDHUP, ref);
}
