/**
 * How a picture becomes a 28x28 digit: decoding with the declared size checked before any pixel
 * is allocated (and a JPEG's EXIF orientation applied), then grey levels, polarity, the ink's
 * connected components, cropping, scaling and centring by mass. Only the datasets module uses them,
 * through {@link io.github.dl4jserving.datasets.DigitImages}.
 */
package io.github.dl4jserving.datasets.internal;
