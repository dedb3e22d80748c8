# syntax=docker/dockerfile:1
# Multi-stage build: the jar is built with the project's own wrapper and .mvn/maven.config (so only
# linux-x86_64 natives are pulled), then unpacked into Spring Boot layers so a code change rebuilds
# only the small application layer, not the ~150 MB of ND4J/OpenBLAS native libraries.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
# The Maven repository is a BuildKit cache, kept between builds but not in the image.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/dl4j-serving-*.jar extract --layers --application-filename dl4j-serving.jar --destination /extracted

# DL4J's native libraries need glibc: a Debian/Ubuntu-based JRE, never Alpine/musl.
FROM eclipse-temurin:17-jre AS runtime
# libturbojpeg-java: libjpeg-turbo's Java binding, which decodes photos at reduced scale (docs/photos.md)
RUN apt-get update -q && apt-get install -y -q --no-install-recommends curl libturbojpeg-java \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin dl4j
WORKDIR /app
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
# The shipped models are part of the image and only read: at start-up the service copies into the
# models volume each shipped version it has never held, so a newer image's models reach an old
# volume too. The data directory holds downloaded data sets.
COPY models/ /app/models/
RUN mkdir -p /var/lib/dl4j-serving/models /var/lib/dl4j-serving/data && chown -R dl4j:dl4j /var/lib/dl4j-serving
VOLUME ["/var/lib/dl4j-serving/models", "/var/lib/dl4j-serving/data"]

ENV DL4J_SERVING_MODELS_DIR=/var/lib/dl4j-serving/models \
    DL4J_SERVING_SEED_MODELS_DIR=/app/models \
    DL4J_SERVING_DATA_DIR=/var/lib/dl4j-serving/data \
    SERVER_PORT=8080 \
    DL4J_SERVING_GRPC_PORT=8081
# Memory within the container's limit: the heap takes at most 40% of it. JavaCPP reads its "%"
# values relative to the maximum heap, so maxbytes=100% caps ND4J's off-heap buffers at another
# 40% of the limit, and maxphysicalbytes=210% caps the whole process (heap, off-heap and the rest)
# at about 84%, leaving room for thread stacks and code. Override with JAVA_TOOL_OPTIONS.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError -Dorg.bytedeco.javacpp.maxbytes=100% -Dorg.bytedeco.javacpp.maxphysicalbytes=210%"
USER dl4j
# 8080: REST, the web page, Actuator; 8081: the Open Inference Protocol over gRPC (h2c).
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/actuator/health/readiness || exit 1
# Shenandoah, Java 17's concurrent collector: pauses under 1 ms instead of G1's 25-45 ms young
# collections, which set the p99 of single-image requests (docs/performance.md, bench/gc.sh). It
# grows the heap to its maximum under load unless told otherwise: a soft limit of 512 MB kept the
# process at 720 MB instead of 3.7 GB, and the heap may still grow past it when it must.
# pom.xml's spring-boot:run and bench/server.sh use the same flags.
ENTRYPOINT ["java", "-XX:+UseShenandoahGC", "-XX:SoftMaxHeapSize=512m", "-jar", "/app/dl4j-serving.jar"]
