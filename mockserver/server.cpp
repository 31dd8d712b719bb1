// libevent glue: each loop runs an evhttp on its own listening socket of the shared port; every
// request goes to the engine; immediate answers are written at once, everything else (delays,
// faults, slow drips) becomes a Pending answer (deferred.cpp). Connections are counted, capped and
// evicted least recently active first; stop() drains. Sockets and framing checks: net.cpp.
#include "mockserver/server.hpp"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/thread.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>

#include <dlfcn.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mockserver/loop.hpp"
#include "mockserver/net.hpp"
#include "mockserver/tls_module.hpp"
#include "util/file.hpp"
#include "util/strings.hpp"

namespace mockserver {

namespace {

// A warning at most once a second, with the count of those held back: a server out of file
// descriptors fails every accept on every loop turn, and used to write megabytes a second.
void warn_rate_limited(const char* what) {
  static std::mutex mu;
  static std::chrono::steady_clock::time_point last{};
  static unsigned long held = 0;
  std::lock_guard lock(mu);
  auto now = std::chrono::steady_clock::now();
  if (last != std::chrono::steady_clock::time_point{} && now - last < std::chrono::seconds(1)) {
    ++held;
    return;
  }
  last = now;
  if (held)
    std::fprintf(stderr, "cxone-mock: warning: %s (%lu more like it in the last second)\n", what, held);
  else
    std::fprintf(stderr, "cxone-mock: warning: %s\n", what);
  held = 0;
}

void on_libevent_log(int severity, const char* message) {
  if (severity >= EVENT_LOG_WARN) warn_rate_limited(message);
}

// libevent's locking must be on before any base is made, so stop() may wake a loop from
// another thread (and a worker hand an answer back).
void init_libevent() {
  static std::once_flag once;
  std::call_once(once, [] {
    evthread_use_pthreads();
    event_set_log_callback(on_libevent_log);
  });
}

// How far a connection's input is read ahead of what evhttp has parsed, beyond one request
// head: a client that pipelines requests and never reads the answers is no longer read from,
// instead of being buffered without bound.
constexpr std::size_t kReadAhead = 64u << 10;
// At the connection cap, connections closed to make room in one loop turn at most.
constexpr std::size_t kEvictionsPerTurn = 16;

}  // namespace

namespace {

void on_request(evhttp_request* req, void* arg) { static_cast<MockServer::Loop*>(arg)->handle(req); }
void on_complete(evhttp_request* req, void* arg) { static_cast<MockServer::Loop*>(arg)->completed(req); }
void on_connection_close(evhttp_connection* conn, void* arg) {
  static_cast<MockServer::Loop*>(arg)->connection_closed(conn);
}
void on_drain_start(evutil_socket_t, short, void* arg) { static_cast<MockServer::Loop*>(arg)->begin_drain(); }
void on_drain_tick(evutil_socket_t, short, void* arg) { static_cast<MockServer::Loop*>(arg)->check_drain(); }
bufferevent* on_new_connection(event_base*, void* arg) { return static_cast<MockServer::Loop*>(arg)->new_connection(); }
void on_register(evutil_socket_t, short, void* arg) { static_cast<MockServer::Loop*>(arg)->register_fresh(); }
void on_deliver(evutil_socket_t, short, void* arg) { static_cast<MockServer::Loop*>(arg)->deliver(); }
void on_resume(evutil_socket_t, short, void* arg) {
  auto* loop = static_cast<MockServer::Loop*>(arg);
  loop->paused = false;
  loop->update_accepting();
}
// The listener's error callback gets evhttp's argument, not ours: each loop runs on its own
// thread, which knows its loop.
thread_local MockServer::Loop* current_loop = nullptr;
void on_accept_error(evconnlistener*, void*) {
  int error = EVUTIL_SOCKET_ERROR();
  if (current_loop) current_loop->accept_failed(error);
}

// From a request's arrival until its answer is written out, evhttp parses nothing more on its
// connection but the socket is still read: a client that pipelines requests and never reads
// the answers would be buffered without bound. Reading stops one request head ahead until the
// answer is out (not while a body is read: evhttp drains that itself, up to --max-body).
void limit_read_ahead(evhttp_connection* conn, std::size_t bytes) {
  if (bufferevent* bev = conn ? evhttp_connection_get_bufferevent(conn) : nullptr)
    bufferevent_setwatermark(bev, EV_READ, 0, bytes);
}

}  // namespace

// The handler's answer; nothing a client sends may escape as an exception into libevent's
// loop (that would end the process): a 500 that says so, and a line on stderr to report.
Reply answer(const RequestHandler& handler, const util::HttpRequest& in) {
  try {
    return handler(in);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cxone-mock: internal error answering %s %s: %s\n", in.method.c_str(),
                 util::excerpt(in.path, 200).c_str(), e.what());
    Reply reply;
    reply.response = error_response(500, std::string("the mock failed on this request: ") + e.what(), "mock.internal");
    return reply;
  }
}

void MockServer::Loop::handle(evhttp_request* req) {
  evhttp_connection* conn = evhttp_request_get_connection(req);
  answering.insert(conn);
  limit_read_ahead(conn, server->options_.max_header_bytes + kReadAhead);
  evhttp_request_set_on_complete_cb(req, on_complete, this);
  evhttp_connection_set_closecb(conn, on_connection_close, this);
  if (auto it = conns.find(conn); it != conns.end()) lru.splice(lru.end(), lru, it->second);  // most recent
  if (auto bad = framing_error(evhttp_request_get_input_headers(req))) {
    auto response = error_response(400, "ambiguous request framing: " + *bad, "mock.request.framing");
    response.headers.add("Connection", "close");  // the rest of the bytes are not a request
    send(req, response, true);
    return;
  }
  util::HttpRequest in;
  in.method = method_name(evhttp_request_get_command(req));
  {
    char* address = nullptr;
    ev_uint16_t peer_port = 0;
    evhttp_connection_get_peer(conn, &address, &peer_port);
    if (address) in.peer = address;
  }
  if (const evhttp_uri* uri = evhttp_request_get_evhttp_uri(req)) {
    const char* path = evhttp_uri_get_path(uri);
    in.path = util::url_decode(path && *path ? path : "/");
    if (const char* query = evhttp_uri_get_query(uri)) in.query = util::parse_form(query);
  } else {
    auto [path, query] = util::split_target(evhttp_request_get_uri(req));
    in.path = util::url_decode(path);
    in.query = std::move(query);
  }
  std::size_t header_count = 0;
  evkeyvalq* headers = evhttp_request_get_input_headers(req);
  for (evkeyval* h = headers->tqh_first; h; h = h->next.tqe_next) {
    in.headers.add(h->key, h->value);
    ++header_count;
  }
  if (header_count > server->options_.max_headers) {
    send(req,
         error_response(431,
                        "request has " + std::to_string(header_count) + " header fields, the limit is " +
                            std::to_string(server->options_.max_headers),
                        "mock.headers.too_many"),
         true);
    return;
  }
  evbuffer* body = evhttp_request_get_input_buffer(req);
  if (std::size_t n = evbuffer_get_length(body)) {
    in.body.resize(n);
    evbuffer_copyout(body, in.body.data(), n);
  }
  // Loading a posted fixture may take a while: off the loop (the engine's own admin API only; a
  // recorder proxies everything in order).
  if (server->engine_ && in.method == "POST" && in.path == "/__admin/fixtures") {
    offload(req, std::move(in));
    return;
  }
  Reply reply = answer(server->handler_, in);
  if (reply.to_upstream && server->engine_) {
    offload(req, std::move(in), true);
    return;
  }
  if ((reply.fault == Fault::none || reply.fault == Fault::malformed_body) && reply.delay_ms <= 0) {
    send(req, reply.response, true);
    return;
  }
  defer(req, std::move(reply));
}

void MockServer::Loop::completed(evhttp_request* req) {
  evhttp_connection* conn = evhttp_request_get_connection(req);
  answering.erase(conn);
  limit_read_ahead(conn, 0);  // reading the next request: no limit but evhttp's
}

bufferevent* MockServer::Loop::new_connection() {
  bufferevent* bev = server->tls_ ? server->tls_->bufferevent_new(base, server->tls_->context)
                                  : bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
  if (!bev) return nullptr;  // evhttp makes its own
  bufferevent_incref(bev);   // kept until the next loop turn tells its connection
  fresh.push_back(bev);
  event_active(register_ev, EV_READ, 0);
  ++open;
  ++server->open_connections_;
  // An evicted connection's descriptor is closed at the end of the loop turn: take at most a
  // few new connections a turn at the cap, so the closes keep up and accept() never runs out.
  while (open > cap && evict_idle()) ++evicted_this_turn;
  update_accepting();
  return bev;
}

void MockServer::Loop::register_fresh() {
  evicted_this_turn = 0;
  for (bufferevent* bev : fresh) {
    bufferevent_data_cb read_cb = nullptr, write_cb = nullptr;
    bufferevent_event_cb event_cb = nullptr;
    void* arg = nullptr;
    bufferevent_getcb(bev, &read_cb, &write_cb, &event_cb, &arg);
    if (event_cb && arg) {  // evhttp's callbacks carry its connection
      if (int fd = bufferevent_getfd(bev); fd >= 0) {
        int yes = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      }
      auto* conn = static_cast<evhttp_connection*>(arg);
      evhttp_connection_set_closecb(conn, on_connection_close, this);
      conns[conn] = lru.insert(lru.end(), conn);
    } else {  // freed already (bufferevent_free clears the callbacks)
      connection_gone();
    }
    bufferevent_decref(bev);
  }
  fresh.clear();
  update_accepting();  // the new ones may be idle ones that can make room
}

// The least recently active connection that is idle: nothing being answered and nothing
// waiting to be read (a client that just sent its request is not idle, however new).
evhttp_connection* MockServer::Loop::idle_connection() {
  for (evhttp_connection* c : lru) {
    if (answering.count(c) || pending.count(c)) continue;
    bufferevent* bev = evhttp_connection_get_bufferevent(c);
    if (!bev || evbuffer_get_length(bufferevent_get_input(bev)) > 0) continue;
    int unread = 0;
    if (int fd = bufferevent_getfd(bev); fd >= 0 && ioctl(fd, FIONREAD, &unread) == 0 && unread > 0) continue;
    return c;
  }
  return nullptr;
}

// Closes the idle connection least recently active; false if none.
bool MockServer::Loop::evict_idle() {
  evhttp_connection* c = idle_connection();
  if (!c) return false;
  evhttp_connection_free(c);  // its close callback forgets it
  return true;
}

void MockServer::Loop::connection_gone() {
  --open;
  --server->open_connections_;
  update_accepting();
}

void MockServer::Loop::update_accepting() {
  if (closing || !listener) return;
  // At the cap, a new connection is still taken while an idle one can make room for it.
  bool want = !paused && (open < cap || (evicted_this_turn < kEvictionsPerTurn && idle_connection() != nullptr));
  if (want == accepting) return;
  accepting = want;
  if (want)
    evconnlistener_enable(listener);
  else
    evconnlistener_disable(listener);
}

void MockServer::Loop::accept_failed(int error) {
  if (error != EMFILE && error != ENFILE && error != ENOBUFS && error != ENOMEM) return;
  std::string what = std::string("cannot accept a connection (") + std::strerror(error) +
                     "): " + std::to_string(server->open_connections_.load()) +
                     " open; closing the least recently active idle one (raise ulimit -n or lower --max-connections)";
  warn_rate_limited(what.c_str());
  evict_idle();
  paused = true;  // the kernel keeps the others waiting; try again shortly
  update_accepting();
  timeval tv = millis(10);
  evtimer_add(resume_ev, &tv);
}

void MockServer::Loop::send(evhttp_request* req, const util::HttpResponse& response, bool body_now) {
  evkeyvalq* out = evhttp_request_get_output_headers(req);
  bool has_type = false;
  for (const auto& [name, value] : response.headers) {
    if (util::iequals(name, "Content-Length") || util::iequals(name, "Transfer-Encoding")) continue;  // ours
    has_type = has_type || util::iequals(name, "Content-Type");
    evhttp_add_header(out, name.c_str(), value.c_str());
  }
  if (!has_type && !response.body.empty()) evhttp_add_header(out, "Content-Type", "application/octet-stream");
  std::string reason(util::reason_phrase(response.status));
  if (body_now) {
    evbuffer_add(evhttp_request_get_output_buffer(req), response.body.data(), response.body.size());
    evhttp_send_reply(req, response.status, reason.c_str(), nullptr);
    return;
  }
  // Slow drip: the real length up front, so the client waits for every byte (no chunking).
  evhttp_add_header(out, "Content-Length", std::to_string(response.body.size()).c_str());
  evhttp_send_reply_start(req, response.status, reason.c_str());
}

void MockServer::Loop::connection_closed(evhttp_connection* conn) {
  answering.erase(conn);
  if (auto known = conns.find(conn); known != conns.end()) {
    lru.erase(known->second);
    conns.erase(known);
    connection_gone();
  }
  // The client went away (or timed out) while an answer was pending: evhttp detached the
  // request, which now waits for its timer to be freed.
  auto it = pending.find(conn);
  if (it == pending.end()) return;
  std::unique_ptr<Pending> p = std::move(it->second);
  pending.erase(it);
  p->conn = nullptr;
  orphans.push_back(std::move(p));
}

void MockServer::Loop::begin_drain() {
  draining = true;
  drain_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(server->options_.drain_ms);
  if (bound) evhttp_del_accept_socket(http, bound);  // no new connections (closes this loop's dup)
  bound = nullptr;
  listener = nullptr;
  // Held "timeout" connections are not answers in flight: close them now.
  std::vector<Pending*> held;
  for (auto& [_, p] : pending)
    if (p->reply.fault == Fault::timeout) held.push_back(p.get());
  for (Pending* p : held) drop(p, false);
  check_drain();
}

void MockServer::Loop::check_drain() {
  bool idle = pending.empty() && orphans.empty() && answering.empty();
  if (idle || std::chrono::steady_clock::now() >= drain_deadline) {
    event_base_loopexit(base, nullptr);
    return;
  }
  timeval tv = millis(5);
  evtimer_add(drain_timer, &tv);
}

namespace {

// cxone-mock-tls.so beside the running binary or in the installed modules folder
// (util::module_candidates), else the library search path.
util::Result<void*> load_tls_module() {
  static void* handle = nullptr;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    for (const auto& candidate : util::module_candidates(kTlsModuleName))
      if (!handle) handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) handle = ::dlopen(kTlsModuleName, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = ::dlerror();
      error = std::string("HTTPS needs ") + kTlsModuleName + " beside the binary (" + (why ? why : "not found") + ")";
    }
  });
  if (!handle) return util::make_error(error);
  return handle;
}

}  // namespace

MockServer::MockServer(std::shared_ptr<MockEngine> engine, ServerOptions options)
    : engine_(std::move(engine)), options_(std::move(options)) {
  // The engine is shared with the handler: a worker still answering at stop keeps it alive.
  handler_ = [engine = engine_](const util::HttpRequest& request) { return engine->handle(request); };
}

MockServer::MockServer(RequestHandler handler, ServerOptions options)
    : handler_(std::move(handler)), options_(std::move(options)) {}

MockServer::~MockServer() { stop(); }

std::string MockServer::base_url() const {
  std::string host = options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host;
  return std::string(tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_);
}

util::Status MockServer::start_tls() {
  if (options_.tls_cert.empty() && options_.tls_key.empty()) return {};
  if (options_.tls_cert.empty() || options_.tls_key.empty())
    return util::make_error("HTTPS needs both --tls-cert and --tls-key");
  TRY_ASSIGN(auto module, load_tls_module());
  auto context_new = reinterpret_cast<TlsContext::ContextNew>(::dlsym(module, "harness_tls_context_new"));
  tls_ = std::make_shared<TlsContext>();
  tls_->context_free = reinterpret_cast<TlsContext::ContextFree>(::dlsym(module, "harness_tls_context_free"));
  tls_->bufferevent_new = reinterpret_cast<TlsContext::BuffereventNew>(::dlsym(module, "harness_tls_bufferevent"));
  if (!context_new || !tls_->context_free || !tls_->bufferevent_new)
    return util::make_error(std::string(kTlsModuleName) + " lacks its entry points (a build from another version?)");
  char error[512] = "";
  tls_->context = context_new(options_.tls_cert.c_str(), options_.tls_key.c_str(), error, sizeof error);
  if (!tls_->context) return util::make_error(error);
  return {};
}

util::Result<int> MockServer::start() {
  init_libevent();
  TRY(start_tls());
  int threads = options_.threads > 0 ? options_.threads
                                     : std::clamp(static_cast<int>(std::thread::hardware_concurrency()) - 1, 1, 8);
  auto fds = listen_on(options_.host, options_.port, threads);
  if (!fds) return fds.error();
  port_ = bound_port(fds->front());
  connection_cap_ = options_.max_connections ? options_.max_connections : default_connection_cap();
  // Sockets not yet handed to a loop are closed if setting up fails half-way.
  std::vector<int> unowned = *fds;
  struct CloseUnowned {
    std::vector<int>& fds;
    ~CloseUnowned() {
      for (int fd : fds) ::close(fd);
    }
  } close_unowned{unowned};
  for (int i = 0; i < threads; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->server = this;
    // The changelist folds the read/write toggles evhttp makes around each request into one
    // epoll_ctl per loop iteration (fewer syscalls per request).
    event_config* config = event_config_new();
    event_config_set_flag(config, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    loop->base = event_base_new_with_config(config);
    event_config_free(config);
    loop->http = loop->base ? evhttp_new(loop->base) : nullptr;
    if (!loop->http) return util::make_error("cannot create the HTTP event loop");
    loop->drain_timer = evtimer_new(loop->base, on_drain_tick, loop.get());
    loop->register_ev = event_new(loop->base, -1, 0, on_register, loop.get());
    loop->resume_ev = evtimer_new(loop->base, on_resume, loop.get());
    loop->mailbox->wake = event_new(loop->base, -1, 0, on_deliver, loop.get());
    loop->cap = std::max<std::size_t>(1, connection_cap_ / static_cast<std::size_t>(threads));
    evhttp* http = loop->http;
    evhttp_set_gencb(http, on_request, loop.get());
    evhttp_set_bevcb(http, on_new_connection, loop.get());
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT |
                                         EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
    evhttp_set_default_content_type(http, nullptr);  // no invented Content-Type
    evhttp_set_max_body_size(http, static_cast<ev_ssize_t>(options_.max_body));
    evhttp_set_max_headers_size(http, static_cast<ev_ssize_t>(options_.max_header_bytes));
    evhttp_set_timeout(http, options_.read_timeout_s);
    // A body over the limit is read to its end before the 413, so the client sees the answer
    // instead of a reset.
    evhttp_set_flags(http, EVHTTP_SERVER_LINGERING_CLOSE);
    // Each loop accepts on its own socket: libevent closes it with the loop.
    loop->bound = evhttp_accept_socket_with_handle(http, unowned.back());
    if (!loop->bound) return util::make_error("cannot accept on the listening socket");
    loop->listener = evhttp_bound_socket_get_listener(loop->bound);
    evconnlistener_set_error_cb(loop->listener, on_accept_error);
    unowned.pop_back();
    loops_.push_back(std::move(loop));
  }
  for (auto& loop : loops_) {
    Loop* l = loop.get();
    l->thread = std::thread([l] {
      current_loop = l;
      event_base_dispatch(l->base);
    });
  }
  return port_;
}

void MockServer::stop() {
  if (loops_.empty()) return;
  for (auto& loop : loops_) event_base_once(loop->base, -1, EV_TIMEOUT, on_drain_start, loop.get(), nullptr);
  for (auto& loop : loops_)
    if (loop->thread.joinable()) loop->thread.join();
  loops_.clear();
}

}  // namespace mockserver
