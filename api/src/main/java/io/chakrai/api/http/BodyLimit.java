package io.chakrai.api.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * The request body limit, counted in bytes as they arrive: a body sent chunked (no {@code
 * Content-Length}) is cut off at the limit just as a declared one is refused up front, so no client
 * can make the server read more than {@code maxBytes}. Whatever reads the body (JSON, multipart)
 * fails with {@link TooLarge}, which {@link ErrorMapping} answers with 413 {@code body_too_large}.
 */
public final class BodyLimit implements Filter {
    private final long maxBytes;

    public BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The body went past the limit. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super("request body is larger than " + max + " bytes");
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (req instanceof HttpServletRequest http) {
            chain.doFilter(new Limited(http, maxBytes), res);
        } else {
            chain.doFilter(req, res);
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long max;
        private ServletInputStream stream;

        Limited(HttpServletRequest req, long max) {
            super(req);
            this.max = max;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream(), max);
            }
            return stream;
        }
    }

    private static final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private final long max;
        private long read;

        Counting(ServletInputStream in, long max) {
            this.in = in;
            this.max = max;
        }

        private int count(int n) throws TooLarge {
            if (n > 0) {
                read += n;
                if (read > max) {
                    throw new TooLarge(max);
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return count(in.read(b, off, len));
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
