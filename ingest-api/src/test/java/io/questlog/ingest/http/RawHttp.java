package io.questlog.ingest.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 spoken byte by byte over a socket, so tests can send what no well-behaved client would:
 * invalid UTF-8, header floods, broken chunking, bodies shorter than their Content-Length.
 */
public final class RawHttp {
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /** Sends {@code request} to 127.0.0.1:{@code port} and reads one response (to its end or to EOF). */
    public static Response exchange(int port, byte[] request, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
                if (halfClose) s.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before it read everything (a refused flood): read its answer
            }
            return read(s.getInputStream());
        }
    }

    /** Sends {@code parts} one after another, {@code pauseMs} apart (a body split across packets), then reads the response. */
    public static Response exchangeInParts(int port, java.util.List<byte[]> parts, long pauseMs) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) Thread.sleep(pauseMs);
                out.write(parts.get(i));
                out.flush();
            }
            return read(s.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        String head = readHead(in);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16);
                if (size == 0) break;
                all.writeBytes(in.readNBytes(size));
                readLine(in);
            }
            body = all.toByteArray();
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed before a complete response head: " + head);
            head.append((char) c);
        }
        return head.substring(0, head.length() - 4);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') if (c != '\r') line.append((char) c);
        return line.toString();
    }
}
