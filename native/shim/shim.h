/*
 * skiff-shim: one small daemon per container. It starts the container through skiff-init, holds
 * its stdio (json-file log, attach clients), reaps it as a child subreaper, records its exit in
 * <dir>/exit, and answers a framed protocol on <dir>/shim.sock. It outlives skiffd, so a daemon
 * restart finds every container again by scanning the state directories.
 *
 * Errors are reported as crun does: fallible functions return a negative value and fill the one
 * error struct with errno and the step that failed.
 *
 * Protocol (version 1), little-endian: a frame is
 *   u32 len, u8 type, payload (len counts type + payload)
 * and a payload is a sequence of fields { u32 len, bytes }; integers travel as decimal strings.
 * Requests and their OK replies are listed in enum msg_type; an ERROR reply carries
 * [code, error JSON {"step","errno","message","strerror"}].
 */
#ifndef SKIFF_SHIM_H
#define SKIFF_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/types.h>

#define SHIM_VERSION "skiff-shim 0.1.0"
#define PROTO_VERSION 1

#define MAX_FRAME (64 * 1024 + 256)  /* largest frame a client may send */
#define CLIENT_OUT_MAX (512 * 1024)  /* an attach client further behind than this is dropped */
#define STDIN_MAX (64 * 1024)        /* stdin bytes held for a process that is not reading */
#define LOG_LINE_MAX (16 * 1024)     /* Docker's copier flushes a partial line at this size */
#define MAX_PROCS 257                /* the init process and up to 256 execs */
#define MAX_CLIENTS 256
#define ID_MAX 128
#define MAX_FIELDS 16

enum msg_type {
	/* requests: fields → OK fields */
	MSG_VERSION = 1,      /* [] → [proto, version, shim pid, id] */
	MSG_STATE = 2,        /* [] → [pid, status, exit code, signal, exited ns, n, n × exec state] */
	MSG_START = 3,        /* [] → []: open the exec fifo, the container execs */
	MSG_WAIT = 4,         /* [exec id] → [exit code, signal, exited ns] once exited */
	MSG_KILL = 5,         /* [exec id, signal] → [] */
	MSG_ATTACH = 6,       /* [exec id, flags] → [], then the connection is a stream */
	MSG_RESIZE = 7,       /* [exec id, rows, cols] → [] */
	MSG_CLOSE_STDIN = 8,  /* [exec id] → [] */
	MSG_EXEC = 9,         /* [exec id, plan, flags, console socket] → [pid] (a stream if attached) */
	MSG_DELETE_EXEC = 10, /* [exec id] → [] */
	MSG_SHUTDOWN = 11,    /* [] → []: exits once the reply is sent */
	MSG_EXEC_STATE = 12,  /* [exec id] → [exec state] */

	MSG_OK = 64,
	MSG_ERROR = 65,

	/* stream frames, shim → client */
	MSG_STDOUT = 80,      /* [bytes] */
	MSG_STDERR = 81,      /* [bytes] */
	MSG_EXIT = 82,        /* [exit code, signal, exited ns]: last frame of a stream */
	/* stream frames, client → shim: MSG_STDIN [bytes], MSG_CLOSE_STDIN [], MSG_RESIZE [rows, cols] */
	MSG_STDIN = 96,
};

/* MSG_ATTACH / MSG_EXEC flags */
#define ATTACH_STDIN 1
#define ATTACH_STDOUT 2
#define ATTACH_STDERR 4
#define EXEC_TERMINAL 8
#define EXEC_STDIN 16

struct shim_error {
	int err;
	char step[128];
	char message[512];
	char report[4096]; /* skiff-init's own error JSON object when it reported one, else "" */
};

extern struct shim_error g_err;

int fail(int err, const char *step, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The error as a JSON object {"step","errno","message","strerror"}. */
void error_json(const struct shim_error *e, char *out, size_t cap);

/* util.c */
#include "io.h"
int set_nonblock(int fd);
int64_t now_ns(void);
void format_time(int64_t ns, char *out, size_t cap);
size_t json_escape(char *out, const char *in, size_t n);
int listen_unix(const char *path);
int recv_fd(int sock);
int write_file_atomic(const char *path, const char *data, size_t len);

/* A growable byte buffer with a hard bound. */
struct buf {
	char *data;
	size_t len, cap;
};
int buf_reserve(struct buf *b, size_t extra, size_t max);
void buf_consume(struct buf *b, size_t n);
void buf_free(struct buf *b);

/* proto.c */
struct fields {
	size_t n;
	struct { const char *data; uint32_t len; } f[MAX_FIELDS];
};
struct frame {
	struct buf *b;
	size_t start, max;
	int err;
};
void frame_begin(struct frame *f, struct buf *b, uint8_t type, size_t max);
void frame_bytes(struct frame *f, const void *data, size_t len);
void frame_str(struct frame *f, const char *s);
void frame_int(struct frame *f, long long v);
int frame_end(struct frame *f);
int fields_parse(const char *payload, size_t len, struct fields *out);
int field_int(const struct fields *f, size_t i, long long *v);
int field_str(const struct fields *f, size_t i, char *out, size_t cap);
uint32_t frame_length(const char *header);

/* log.c: Docker's json-file driver. */
struct logger;
struct logger *logger_open(const char *path, long long max_size, int max_file);
void logger_write(struct logger *lg, int stream, const char *data, size_t n);
void logger_flush(struct logger *lg, int stream);
void logger_close(struct logger *lg);

/* proc.c: processes started through skiff-init. */
enum proc_status { PROC_CREATED, PROC_RUNNING, PROC_STOPPED };

struct proc {
	char id[ID_MAX + 1];     /* "" for the container's init */
	pid_t pid;
	int terminal;
	int out[2];              /* read ends of stdout, stderr; a tty has out[0] = master, out[1] = -1 */
	int in;                  /* our end of the process's stdin (a dup of the master for a tty) */
	int in_closing;          /* close stdin once the buffer is written */
	struct buf inbuf;
	enum proc_status status;
	int wstatus;
	int64_t exited_ns;
	struct logger *log;      /* init only */
};

struct spawn_opts {
	const char *init_path;
	const char *plan;
	const char *console;     /* console socket path, for a tty */
	int terminal, stdin;
};
/* Runs skiff-init to completion; on success p->pid and p's fds are set. */
int proc_spawn(struct proc *p, const struct spawn_opts *o);
int proc_exit_code(const struct proc *p);
int proc_signal(const struct proc *p);
void proc_close_fds(struct proc *p);
void proc_stdin_flush(struct proc *p);

/* main.c: the event loop's hooks for the other files. */
extern struct proc *g_procs[MAX_PROCS];
extern const char *g_dir;
extern const char *g_id;
extern const char *g_init_path;
extern char g_exec_fifo[4096];
extern int g_shutdown;
struct proc *proc_find(const char *id);
void on_output(struct proc *p, int stream, const char *data, size_t n);
void proc_drain(struct proc *p);

/* request.c */
enum code { E_INTERNAL = 1, E_NOT_FOUND, E_CONFLICT, E_INVALID, E_INIT, E_BLOCKED };
struct req_result {
	struct proc *wait;   /* park the connection until this process exits */
	struct proc *attach; /* turn the connection into a stream of this process */
	int flags;           /* attach flags */
	int close;           /* close the connection after the reply */
};
int handle_request(int type, const struct fields *fl, struct frame *f, struct req_result *res);
void exit_fields(struct frame *f, const struct proc *p);

/* client.c */
void clients_accept(int lfd);
void clients_poll_add(struct pollfd *pfds, int *tags, int *n, int tag_base);
void clients_handle(int idx, short revents);
void clients_output(struct proc *p, int stream, const char *data, size_t n);
void clients_exited(struct proc *p);
void clients_unblock(void);
void clients_detach_proc(struct proc *p);
void clients_flush_all(void);

#endif
