/* The physical limit of the protocol: libpq called directly from C, the same statements as the Swift benchmark.
 * usage: roundtrip CONNINFO N MODE   (MODE: prepared | unprepared)
 * Prints: "<mode> <N> <seconds>". */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t be64(uint64_t v) { return ((uint64_t)htonl((uint32_t)v) << 32) | htonl((uint32_t)(v >> 32)); }

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: roundtrip CONNINFO N prepared|unprepared\n"); return 2; }
    const char *keywords[] = {"dbname", NULL};
    const char *values[] = {argv[1], NULL};
    PGconn *conn = PQconnectdbParams(keywords, values, 1);
    if (PQstatus(conn) != CONNECTION_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
    long n = atol(argv[2]);
    int prepared = strcmp(argv[3], "prepared") == 0;
    const char *sql = "SELECT $1::int8 + 1";
    Oid types[1] = {20};
    if (prepared) {
        PGresult *r = PQprepare(conn, "s", sql, 1, types);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
        PQclear(r);
    }
    int formats[1] = {1}, lengths[1] = {8};
    /* One untimed query, as the Swift benchmark runs one before its clock starts (the new backend's caches). */
    {
        uint64_t v = be64(0);
        const char *vals[1] = {(const char *)&v};
        PGresult *r = prepared ? PQexecPrepared(conn, "s", 1, vals, lengths, formats, 1)
                               : PQexecParams(conn, sql, 1, types, vals, lengths, formats, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
        PQclear(r);
    }
    long long check = 0;
    double start = now();
    for (long i = 0; i < n; i++) {
        uint64_t v = be64((uint64_t)i);
        const char *vals[1] = {(const char *)&v};
        PGresult *r = prepared ? PQexecPrepared(conn, "s", 1, vals, lengths, formats, 1)
                               : PQexecParams(conn, sql, 1, types, vals, lengths, formats, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) { fprintf(stderr, "%s", PQerrorMessage(conn)); return 1; }
        uint64_t out;
        memcpy(&out, PQgetvalue(r, 0, 0), 8);
        check += (long long)be64(out);
        PQclear(r);
    }
    double elapsed = now() - start;
    if (check != n * (n + 1) / 2) { fprintf(stderr, "wrong results\n"); return 1; }
    printf("%s %ld %.6f\n", argv[3], n, elapsed);
    PQfinish(conn);
    return 0;
}
