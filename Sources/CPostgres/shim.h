#ifndef LAKEGATE_CPOSTGRES_SHIM_H
#define LAKEGATE_CPOSTGRES_SHIM_H
#include <libpq-fe.h>

/// PG_DIAG_SQLSTATE is a character macro Swift cannot import.
static inline const char *cpq_sqlstate(const PGresult *result) {
    return PQresultErrorField(result, PG_DIAG_SQLSTATE);
}
#endif
