/* Reads the plan (common/plan.h) from a file descriptor into memory. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "init.h"

struct reader {
	char *buf;
	size_t len, off;
};

static int slurp(int fd, struct reader *r)
{
	size_t cap = 16384;
	r->buf = malloc(cap);
	r->len = 0;
	r->off = 0;
	if (!r->buf)
		return fail(ENOMEM, "read plan", "out of memory");
	for (;;) {
		if (r->len == cap) {
			char *n;
			cap *= 2;
			n = realloc(r->buf, cap);
			if (!n)
				return fail(ENOMEM, "read plan", "out of memory");
			r->buf = n;
		}
		ssize_t got = read(fd, r->buf + r->len, cap - r->len);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return fail(errno, "read plan", "read");
		}
		if (got == 0)
			return 0;
		r->len += (size_t)got;
	}
}

static int take(struct reader *r, void *out, size_t n)
{
	if (r->len - r->off < n)
		return fail(EINVAL, "read plan", "plan truncated at byte %zu", r->off);
	memcpy(out, r->buf + r->off, n);
	r->off += n;
	return 0;
}

int plan_read(int fd, struct plan *plan)
{
	struct reader r;
	size_t cap = 64;

	if (slurp(fd, &r) < 0)
		return -1;
	if (r.len < 4 || memcmp(r.buf, PLAN_MAGIC, 4) != 0)
		return fail(EINVAL, "read plan", "not a skiff plan (bad magic)");
	r.off = 4;
	plan->nops = 0;
	plan->ops = calloc(cap, sizeof(struct op));
	if (!plan->ops)
		return fail(ENOMEM, "read plan", "out of memory");
	while (r.off < r.len) {
		struct op *op;
		if (plan->nops == cap) {
			struct op *n;
			cap *= 2;
			n = realloc(plan->ops, cap * sizeof(struct op));
			if (!n)
				return fail(ENOMEM, "read plan", "out of memory");
			plan->ops = n;
		}
		op = &plan->ops[plan->nops++];
		if (take(&r, &op->code, 2) < 0 || take(&r, &op->nargs, 2) < 0)
			return -1;
		op->args = calloc(op->nargs ? op->nargs : 1, sizeof(struct arg));
		if (!op->args)
			return fail(ENOMEM, "read plan", "out of memory");
		for (uint16_t i = 0; i < op->nargs; i++) {
			struct arg *a = &op->args[i];
			if (take(&r, &a->len, 4) < 0)
				return -1;
			if (r.len - r.off < a->len)
				return fail(EINVAL, "read plan", "plan truncated in op %u", op->code);
			a->data = malloc((size_t)a->len + 1);
			if (!a->data)
				return fail(ENOMEM, "read plan", "out of memory");
			memcpy(a->data, r.buf + r.off, a->len);
			a->data[a->len] = 0;
			r.off += a->len;
		}
	}
	free(r.buf);
	return 0;
}

const char *arg_str(const struct op *op, size_t i)
{
	return i < op->nargs ? op->args[i].data : "";
}

int64_t arg_int(const struct op *op, size_t i)
{
	return strtoll(arg_str(op, i), NULL, 10);
}

uint64_t arg_u64(const struct op *op, size_t i)
{
	return strtoull(arg_str(op, i), NULL, 10);
}
