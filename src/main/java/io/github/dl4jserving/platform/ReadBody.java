package io.github.dl4jserving.platform;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.catalina.core.ApplicationPart;
import org.apache.tomcat.util.http.fileupload.FileItem;
import org.apache.tomcat.util.http.fileupload.FileUpload;
import org.apache.tomcat.util.http.fileupload.FileUploadException;
import org.apache.tomcat.util.http.fileupload.disk.DiskFileItemFactory;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.InvalidContentTypeException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.apache.tomcat.util.http.fileupload.servlet.ServletRequestContext;

/**
 * A request whose body has already been read into memory, within its deadline. Its input stream and
 * reader serve those bytes; a multipart body is parsed from them, on first use, by the same
 * FileUpload code Tomcat uses for {@code getParts()} (Tomcat's own parser reads the connection, which
 * holds nothing more), with Tomcat's part-count limit. Parse failures are thrown as Tomcat throws
 * them, so Spring maps them to the same problems as before.
 */
final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;
    private final int maxParts;
    private List<Part> parts;
    private Exception partsFailure;

    ReadBody(HttpServletRequest request, byte[] body, int maxParts) {
        super(request);
        this.body = body;
        this.maxParts = maxParts;
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new IllegalStateException("the body has already been read");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        String encoding = getCharacterEncoding();
        Charset charset =
                encoding != null && Charset.isSupported(encoding) ? Charset.forName(encoding) : StandardCharsets.UTF_8;
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        parse();
        if (partsFailure instanceof IOException e) {
            throw e;
        }
        if (partsFailure instanceof ServletException e) {
            throw e;
        }
        if (partsFailure instanceof IllegalStateException e) {
            throw e;
        }
        return parts;
    }

    @Override
    public Part getPart(String name) throws IOException, ServletException {
        for (Part part : getParts()) {
            if (name.equals(part.getName())) {
                return part;
            }
        }
        return null;
    }

    private void parse() {
        if (parts != null || partsFailure != null) {
            return;
        }
        String type = getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            partsFailure = new ServletException("not a multipart/form-data request");
            return;
        }
        File location = getServletContext().getAttribute(ServletContext.TEMPDIR) instanceof File dir
                ? dir
                : new File(System.getProperty("java.io.tmpdir"));
        // The body is in memory already: its parts stay there, no temporary files.
        DiskFileItemFactory factory = new DiskFileItemFactory(body.length + 1, location);
        FileUpload upload = new FileUpload();
        upload.setFileItemFactory(factory);
        upload.setFileCountMax(maxParts);
        String encoding = getCharacterEncoding();
        if (encoding != null) {
            upload.setHeaderEncoding(encoding);
        }
        try {
            List<Part> read = new ArrayList<>();
            for (FileItem item : upload.parseRequest(new ServletRequestContext(this))) {
                read.add(new ApplicationPart(item, location));
            }
            parts = read;
        } catch (InvalidContentTypeException e) {
            partsFailure = new ServletException(e);
        } catch (SizeException | FileCountLimitExceededException e) {
            partsFailure = new IllegalStateException(e);
        } catch (FileUploadException e) {
            partsFailure = e;
        }
    }
}
