/* fts5_bm25(articles_fts, counts, weight...): FTS5's bm25() with each phrase's article count
** given instead of counted.
**
** bm25() weighs each phrase of a query by how many rows hold it, which it counts at the first
** row of every statement by running the phrase over the whole table: for a phrase of two
** common words, checking word positions in nearly every article, longer than the search itself.
** `archive search` knows the counts of single words (table impacts) or counts a phrase once,
** while ranking, and passes them here: `counts` is a blob of one native 64-bit integer per
** phrase of the query, in order. A negative count gives the phrase a weight (IDF) of 1: its
** score is then bm25's for that phrase divided by the phrase's IDF, which orders the rows of a
** one-phrase query as bm25() does. Otherwise the result is bm25()'s, bit for bit: the same
** formula, constants and order of operations as SQLite's fts5_aux.c (public domain), and
** built with -ffp-contract=off so that no fused multiply-add rounds differently (where SQLite
** itself was built to fuse them, as some ARM builds may be, the last bit may differ).
**
** A SQLite loadable extension, loaded by build_tools/search/query.py through APSW. */
#include <math.h>
#include <string.h>
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

typedef struct {
    sqlite3_int64 rows;
    double avgdl;
    double *freq;  /* one per phrase, reset for each row */
} Totals;

static void fts5_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                      int nVal, sqlite3_value **apVal) {
    const double k1 = 1.2;
    const double b = 0.75;
    int nPhrase = api->xPhraseCount(fts);
    int nInst = 0, rc = SQLITE_OK, i;
    double *freq;
    double score = 0.0, D = 0.0;
    const unsigned char *counts;
    Totals *totals;

    if (nVal < 1 || sqlite3_value_type(apVal[0]) != SQLITE_BLOB
        || sqlite3_value_bytes(apVal[0]) != (int)sizeof(sqlite3_int64) * nPhrase) {
        sqlite3_result_error(ctx, "fts5_bm25: give one 8-byte article count per phrase", -1);
        return;
    }
    counts = (const unsigned char *)sqlite3_value_blob(apVal[0]);
    totals = (Totals *)api->xGetAuxdata(fts, 0);
    if (totals == 0) {  /* once per statement, as bm25() does */
        sqlite3_int64 tokens = 0;
        totals = (Totals *)sqlite3_malloc64(sizeof(Totals) + sizeof(double) * (nPhrase + 1));
        if (totals == 0) {
            sqlite3_result_error_nomem(ctx);
            return;
        }
        totals->freq = (double *)&totals[1];
        rc = api->xRowCount(fts, &totals->rows);
        if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
        if (rc != SQLITE_OK) {
            sqlite3_free(totals);
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        totals->avgdl = (double)tokens / (double)totals->rows;
        rc = api->xSetAuxdata(fts, totals, sqlite3_free);  /* frees it on failure too */
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
    }
    freq = totals->freq;
    memset(freq, 0, sizeof(double) * nPhrase);
    rc = api->xInstCount(fts, &nInst);
    for (i = 0; rc == SQLITE_OK && i < nInst; i++) {
        int ip, ic, io;
        rc = api->xInst(fts, i, &ip, &ic, &io);
        if (rc == SQLITE_OK) {
            double w = (nVal - 1 > ic) ? sqlite3_value_double(apVal[1 + ic]) : 1.0;
            freq[ip] += w;
        }
    }
    if (rc == SQLITE_OK) {
        int nTok;
        rc = api->xColumnSize(fts, -1, &nTok);
        D = (double)nTok;
    }
    for (i = 0; rc == SQLITE_OK && i < nPhrase; i++) {
        sqlite3_int64 nHit;
        double idf = 1.0;
        memcpy(&nHit, counts + i * sizeof(sqlite3_int64), sizeof(nHit));
        if (nHit > totals->rows) {
            sqlite3_result_error(ctx, "fts5_bm25: a count is larger than the table", -1);
            return;
        }
        if (nHit >= 0) {
            idf = log((totals->rows - nHit + 0.5) / (nHit + 0.5));
            if (idf <= 0.0) idf = 1e-6;
        }
        score += idf * ((freq[i] * (k1 + 1.0)) / (freq[i] + k1 * (1 - b + b * D / totals->avgdl)));
    }
    if (rc == SQLITE_OK) {
        sqlite3_result_double(ctx, -1.0 * score);
    } else {
        sqlite3_result_error_code(ctx, rc);
    }
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_extension_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
    fts5_api *fts = 0;
    sqlite3_stmt *stmt = 0;
    int rc;
    SQLITE_EXTENSION_INIT2(pApi);
    rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, 0);
    if (rc == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, (void *)&fts, "fts5_api_ptr", 0);
        sqlite3_step(stmt);
        rc = sqlite3_finalize(stmt);
    }
    if (rc != SQLITE_OK || fts == 0) {
        *pzErrMsg = sqlite3_mprintf("fts5_bm25: this SQLite has no FTS5");
        return SQLITE_ERROR;
    }
    return fts->xCreateFunction(fts, "fts5_bm25", 0, fts5_bm25, 0);
}
