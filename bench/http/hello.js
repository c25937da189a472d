// bench/http: Node's http module serving hello (the comparison for hello.sx).
const http = require("http");
const port = Number(process.argv[2] || 0);
const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
  res.end("hello world");
});
server.listen(port, "127.0.0.1", () => console.log(`Serving http://127.0.0.1:${server.address().port}/`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
