package io.github.dl4jserving.datasets;

import java.time.Duration;

/**
 * The pixels one request (or one data set upload) may decode, summed over its images. Decoding
 * costs time in proportion to the pixels an image declares, not to its file size: a 4096x4096 PNG
 * of one colour compresses to 28 KB and took 0.33 s, so 256 of them in a 7 MB request held a core
 * for 85 s. Each image's declared width x height is charged before it is decoded, so a request over
 * its budget is refused without decoding the image that would pass it.
 *
 * <p>It also holds the CPU time the images may take to decode, together: the declared pixels do not
 * bound that alone (a progressive JPEG costs a pass over the image per scan). Not thread-safe: one per
 * request.
 */
public final class PixelBudget {
    /** The CPU time all the images of one request may take to decode. */
    public static final Duration REQUEST_DECODE_CPU = Duration.ofSeconds(2);

    private final long limit;
    private final String setting;
    private final long cpuLimitNanos;
    private long used;
    private long cpuUsedNanos;

    /** {@code setting} names the property that sets {@code limit}, for the refusal's detail. */
    public PixelBudget(long limit, String setting) {
        this(limit, setting, REQUEST_DECODE_CPU);
    }

    /** A budget whose images may take {@code decodeCpu} of CPU time to decode, in all. */
    public PixelBudget(long limit, String setting, Duration decodeCpu) {
        this.limit = limit;
        this.setting = setting;
        this.cpuLimitNanos = decodeCpu.toNanos();
    }

    /** The decoding CPU time left, in nanoseconds. */
    public long cpuLeftNanos() {
        return Math.max(0, cpuLimitNanos - cpuUsedNanos);
    }

    /** Records CPU time spent decoding one of the images. */
    public void chargeCpu(long nanos) {
        cpuUsedNanos += nanos;
    }

    /** The decoding CPU time all the images may take. */
    public Duration cpuLimit() {
        return Duration.ofNanos(cpuLimitNanos);
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
