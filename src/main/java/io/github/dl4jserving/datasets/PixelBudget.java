package io.github.dl4jserving.datasets;

/**
 * The pixels one request (or one data set upload) may decode, summed over its images. Decoding
 * costs time in proportion to the pixels an image declares, not to its file size: a 4096x4096 PNG
 * of one colour compresses to 28 KB and took 0.33 s, so 256 of them in a 7 MB request held a core
 * for 85 s. Each image's declared width x height is charged before it is decoded, so a request over
 * its budget is refused without decoding the image that would pass it. Not thread-safe: one per request.
 */
public final class PixelBudget {
    private final long limit;
    private final String setting;
    private long used;

    /** {@code setting} names the property that sets {@code limit}, for the refusal's detail. */
    public PixelBudget(long limit, String setting) {
        this.limit = limit;
        this.setting = setting;
    }

    /** Takes {@code width x height} pixels, or throws if that would pass the limit. */
    public void charge(int width, int height) {
        long pixels = (long) width * height;
        if (used + pixels > limit) {
            throw new PixelBudgetExceededException("The images of this request declare more than " + limit
                    + " pixels in all (" + setting + "); this one (" + width + "x" + height + ") would bring the "
                    + "total to " + (used + pixels) + ". The models need 28x28: scale the images down before "
                    + "sending, or send fewer per request.");
        }
        used += pixels;
    }

    /** The most pixels this budget allows. */
    public long limit() {
        return limit;
    }
}
