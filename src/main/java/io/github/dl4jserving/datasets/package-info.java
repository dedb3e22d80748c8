/**
 * Reference data sets on disk: where each file lives in the data directory, its public URL and
 * sha256, the download-and-verify step for a missing file, and readers for the MNIST IDX files
 * and the breast-cancer CSV. Nothing here knows about networks or HTTP.
 */
package io.github.dl4jserving.datasets;
