/**
 * Data sets on disk: the reference files (where each lives in the data directory, its public URL
 * and sha256, the download-and-verify step for a missing file), readers for MNIST IDX files, the
 * breast-cancer table and general CSV tables, the image decoding and MNIST-style preparation that
 * requests and uploads share, and the store of uploaded data sets. Nothing here knows about
 * networks or HTTP.
 */
package io.github.dl4jserving.datasets;
