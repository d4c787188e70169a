/*
 * Frames of the shim protocol (see shim.h): building replies into a client's bounded output
 * buffer, and splitting a request's payload into fields. A frame that does not fit is rolled
 * back whole, so a client never sees half a frame.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

static void put_u32(char *p, uint32_t v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)((v >> 8) & 0xff);
	p[2] = (char)((v >> 16) & 0xff);
	p[3] = (char)((v >> 24) & 0xff);
}

static uint32_t get_u32(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

void frame_begin(struct frame *f, struct buf *b, uint8_t type, size_t max)
{
	f->b = b;
	f->start = b->len;
	f->max = max;
	f->err = buf_reserve(b, 5, max);
	if (!f->err) {
		b->data[b->len + 4] = (char)type;
		b->len += 5;
	}
}

void frame_bytes(struct frame *f, const void *data, size_t len)
{
	if (f->err)
		return;
	if (len > UINT32_MAX || buf_reserve(f->b, 4 + len, f->max) < 0) {
		f->err = -1;
		return;
	}
	put_u32(f->b->data + f->b->len, (uint32_t)len);
	if (len)
		memcpy(f->b->data + f->b->len + 4, data, len);
	f->b->len += 4 + len;
}

void frame_str(struct frame *f, const char *s)
{
	frame_bytes(f, s, strlen(s));
}

void frame_int(struct frame *f, long long v)
{
	char num[24];
	frame_str(f, (snprintf(num, sizeof(num), "%lld", v), num));
}

int frame_end(struct frame *f)
{
	if (f->err) {
		f->b->len = f->start;
		if (!f->b->len)
			buf_free(f->b);
		return -1;
	}
	put_u32(f->b->data + f->start, (uint32_t)(f->b->len - f->start - 4));
	return 0;
}

int fields_parse(const char *payload, size_t len, struct fields *out)
{
	size_t off = 0;
	out->n = 0;
	while (off < len) {
		uint32_t n;
		if (len - off < 4 || out->n == MAX_FIELDS)
			return fail(EPROTO, "protocol", "malformed payload");
		n = get_u32(payload + off);
		if (n > len - off - 4)
			return fail(EPROTO, "protocol", "field longer than its frame");
		out->f[out->n].data = payload + off + 4;
		out->f[out->n].len = n;
		out->n++;
		off += 4 + n;
	}
	return 0;
}

int field_int(const struct fields *f, size_t i, long long *v)
{
	char num[24], *end;
	if (field_str(f, i, num, sizeof(num)) < 0 || !num[0])
		return fail(EINVAL, "protocol", "field %zu: not a number", i);
	errno = 0;
	*v = strtoll(num, &end, 10);
	if (*end || errno)
		return fail(EINVAL, "protocol", "field %zu: not a number", i);
	return 0;
}

int field_str(const struct fields *f, size_t i, char *out, size_t cap)
{
	if (i >= f->n)
		return fail(EINVAL, "protocol", "missing field %zu", i);
	if (f->f[i].len >= cap || memchr(f->f[i].data, 0, f->f[i].len))
		return fail(EINVAL, "protocol", "field %zu too long or not a string", i);
	memcpy(out, f->f[i].data, f->f[i].len);
	out[f->f[i].len] = 0;
	return 0;
}

uint32_t frame_length(const char *p)
{
	return get_u32(p);
}
