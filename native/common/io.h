/* I/O helpers shared by skiff-init and skiff-shim: whole transfers across EINTR and short writes,
 * and passing a file descriptor over a unix socket. They set errno and return -1 on failure. */
#ifndef SKIFF_IO_H
#define SKIFF_IO_H

#include <stddef.h>

int write_all(int fd, const void *buf, size_t len);
/* Reads exactly len bytes; EOF before that fails with EPIPE. */
int read_all(int fd, void *buf, size_t len);
int io_send_fd(int sock, int fd);
/* The fd sent with the next byte; EPIPE at EOF, EPROTO when the byte carries no fd. */
int io_recv_fd(int sock);

#endif
