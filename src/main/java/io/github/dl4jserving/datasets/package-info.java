/**
 * Data sets on disk: the reference files (where each lives in the data directory, its public URL
 * and sha256, the download-and-verify step for a missing file), readers for MNIST IDX files, the
 * breast-cancer table and general CSV tables, {@link io.github.dl4jserving.datasets.DigitImages}
 * (the image decoding and MNIST-style preparation that requests, uploads and training share), and
 * the store of uploaded data sets. Nothing here knows about networks or HTTP.
 */
package io.github.dl4jserving.datasets;
