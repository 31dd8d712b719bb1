// The reference for the mock's serving speed in bench/guard.sh: a bare libevent HTTP server that
// answers every request with the same fixed JSON body, nothing else (no matching, no journal).
//   bare_http BODY_FILE          prints "listening on http://127.0.0.1:PORT" (an OS-chosen port)
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

namespace {

std::string body;

void answer(evhttp_request* req, void*) {
  evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
  evbuffer* out = evbuffer_new();
  evbuffer_add(out, body.data(), body.size());
  evhttp_send_reply(req, 200, "OK", out);
  evbuffer_free(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bare_http BODY_FILE\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  body.assign(std::istreambuf_iterator<char>(in), {});
  event_base* base = event_base_new();
  evhttp* http = evhttp_new(base);
  evhttp_set_gencb(http, answer, nullptr);
  evhttp_bound_socket* sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
  if (!sock) return 1;
  sockaddr_storage addr{};
  ev_socklen_t len = sizeof addr;
  getsockname(evhttp_bound_socket_get_fd(sock), reinterpret_cast<sockaddr*>(&addr), &len);
  std::printf("listening on http://127.0.0.1:%d\n", ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port));
  std::fflush(stdout);
  event_base_dispatch(base);
  return 0;
}
