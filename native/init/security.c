/* Identity and privilege: user and groups, the five capability sets, seccomp. */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "init.h"

int op_caps_bounding(uint64_t keep)
{
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break; /* past the kernel's last capability */
			return fail(errno, "capabilities", "drop capability %d from the bounding set", cap);
		}
	}
	return 0;
}

int op_user(const struct op *op)
{
	uid_t uid = (uid_t)arg_int(op, 0);
	gid_t gid = (gid_t)arg_int(op, 1);
	int do_groups = (int)arg_int(op, 2);
	size_t ngroups = op->nargs > 3 ? op->nargs - 3u : 0;
	gid_t *groups = NULL;

	/* Keep the permitted set across the uid change; OP_CAPS sets the final sets. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail(errno, "user", "PR_SET_KEEPCAPS");
	if (do_groups) {
		if (ngroups) {
			groups = calloc(ngroups, sizeof(gid_t));
			if (!groups)
				return fail(ENOMEM, "user", "out of memory");
			for (size_t i = 0; i < ngroups; i++)
				groups[i] = (gid_t)arg_int(op, 3 + i);
		}
		if (setgroups(ngroups, groups) < 0) {
			free(groups);
			return fail(errno, "user", "setgroups");
		}
		free(groups);
	}
	if (setresgid(gid, gid, gid) < 0)
		return fail(errno, "user", "setgid %u", gid);
	if (setresuid(uid, uid, uid) < 0)
		return fail(errno, "user", "setuid %u", uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return fail(errno, "user", "PR_SET_KEEPCAPS");
	return 0;
}

int op_caps(const struct op *op)
{
	uint64_t eff = arg_u64(op, 0), perm = arg_u64(op, 1), inh = arg_u64(op, 2), amb = arg_u64(op, 3);
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2] = {
		{ .effective = (uint32_t)eff, .permitted = (uint32_t)perm, .inheritable = (uint32_t)inh },
		{ .effective = (uint32_t)(eff >> 32), .permitted = (uint32_t)(perm >> 32), .inheritable = (uint32_t)(inh >> 32) },
	};
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fail(errno, "capabilities", "capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return fail(errno, "capabilities", "clear ambient set");
	for (int cap = 0; cap < 64; cap++) {
		if (!(amb & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return fail(errno, "capabilities", "raise ambient capability %d", cap);
	}
	return 0;
}

int op_seccomp(const struct op *op)
{
	struct sock_fprog prog;
	unsigned int flags = (unsigned int)arg_u64(op, 0);
	const struct arg *bytes = &op->args[1];

	if (op->nargs < 2 || bytes->len == 0 || bytes->len % sizeof(struct sock_filter))
		return fail(EINVAL, "seccomp", "malformed filter (%u bytes)", op->nargs < 2 ? 0 : bytes->len);
	prog.len = (unsigned short)(bytes->len / sizeof(struct sock_filter));
	prog.filter = (struct sock_filter *)(void *)bytes->data;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0)
		return fail(errno, "seccomp", "load filter of %u instructions", prog.len);
	return 0;
}
