package io.github.dl4jserving.web;

import io.github.dl4jserving.datasets.DatasetInfo;
import io.github.dl4jserving.datasets.DatasetStore;
import io.github.dl4jserving.datasets.InvalidDatasetException;
import io.github.dl4jserving.platform.ChangesState;
import io.github.dl4jserving.platform.LargeBody;
import io.github.dl4jserving.platform.ReadEndpoint;
import io.github.dl4jserving.platform.TrainerOwned;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * Uploaded training data: a CSV table with a named target column, an MNIST-style IDX image and
 * label pair, or a zip of images in one folder per label. Each answers 201 with the id, the
 * detected schema, the row count, the class counts and the sha256.
 */
@RestController
@Tag(name = "Datasets")
@TrainerOwned
class DatasetsController {
    private static final String ZIP = "application/zip";
    private final DatasetStore store;

    DatasetsController(DatasetStore store) {
        this.store = store;
    }

    @Operation(
            operationId = "uploadCsvDataset",
            summary = "Upload a CSV table (raw body) with a header; 'target' "
                    + "names the class column (two classes), every other column must be numeric")
    @ChangesState
    @LargeBody
    @PostMapping(path = "/datasets", consumes = "text/csv")
    ResponseEntity<DatasetInfo> csv(
            @RequestParam(required = false) String target,
            @Parameter(description = "columns that are not features, besides any named id")
                    @RequestParam(required = false)
                    List<String> ignore,
            @RequestBody byte[] body) {
        return created(store.uploadCsv(body, target, ignore == null ? List.of() : ignore));
    }

    @Operation(
            operationId = "uploadZipDataset",
            summary =
                    "Upload a zip (raw body) of PNG/JPEG/GIF/BMP images in " + "one folder per label (label/file.png)")
    @ChangesState
    @LargeBody
    @PostMapping(path = "/datasets", consumes = ZIP)
    ResponseEntity<DatasetInfo> zip(@RequestBody byte[] body) {
        return created(store.uploadZip(body));
    }

    @Operation(
            operationId = "uploadDatasetParts",
            summary = "Upload as multipart: 'file' (CSV) with 'target', "
                    + "or 'images' and 'labels' (IDX, gzip or not), or 'archive' (zip of label folders)")
    @ChangesState
    @PostMapping(path = "/datasets", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<DatasetInfo> parts(
            @RequestPart(required = false) MultipartFile file,
            @RequestParam(required = false) String target,
            @RequestParam(required = false) List<String> ignore,
            @RequestPart(required = false) MultipartFile images,
            @RequestPart(required = false) MultipartFile labels,
            @RequestPart(required = false) MultipartFile archive)
            throws IOException {
        if (file != null) {
            return created(store.uploadCsv(file.getBytes(), target, ignore == null ? List.of() : ignore));
        }
        if (images != null || labels != null) {
            if (images == null || labels == null) {
                throw new InvalidDatasetException("An IDX data set needs both an 'images' and a 'labels' part.");
            }
            return created(store.uploadIdx(images.getBytes(), labels.getBytes()));
        }
        if (archive != null) {
            return created(store.uploadZip(archive.getBytes()));
        }
        throw new InvalidDatasetException("Send a 'file' part (CSV, with 'target'), 'images' and 'labels' parts "
                + "(IDX), or an 'archive' part (zip of label folders).");
    }

    private static ResponseEntity<DatasetInfo> created(DatasetInfo info) {
        return ResponseEntity.created(URI.create("/datasets/" + info.id())).body(info);
    }

    @Operation(operationId = "listDatasets", summary = "Uploaded data sets, newest first")
    @ReadEndpoint
    @GetMapping("/datasets")
    List<DatasetInfo> list() {
        return store.list();
    }

    @Operation(operationId = "getDataset", summary = "One uploaded data set")
    @ReadEndpoint
    @GetMapping("/datasets/{id}")
    DatasetInfo get(@PathVariable String id) {
        return store.get(id);
    }
}
