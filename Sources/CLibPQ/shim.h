#ifndef FINSAM_CLIBPQ_SHIM_H
#define FINSAM_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <poll.h>
#endif
