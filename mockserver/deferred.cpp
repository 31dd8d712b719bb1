// Answers given later than their request (delays, faults, slow drips, a fixture loaded by a
// worker): each a Pending owned by its loop and driven by its own timer.
#include <event2/buffer.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <thread>
#include <utility>

#include <unistd.h>

#include "mockserver/loop.hpp"
#include "mockserver/net.hpp"

namespace mockserver {

namespace {

void on_timer(evutil_socket_t, short, void* arg) {
  auto* p = static_cast<Pending*>(arg);
  p->loop->fire(p);
}

}  // namespace

Pending::Pending(MockServer::Loop* owner, evhttp_request* request)
    : loop(owner), req(request), conn(evhttp_request_get_connection(request)) {
  timer = evtimer_new(owner->base, on_timer, this);
}

Pending::~Pending() {
  if (timer) event_free(timer);
}

void Pending::arm(int ms) {
  timeval tv = millis(ms);
  evtimer_add(timer, &tv);
}

Pending* MockServer::Loop::track(evhttp_request* req) {
  auto owned = std::make_unique<Pending>(this, req);
  Pending* p = owned.get();
  pending[p->conn] = std::move(owned);
  ++server->in_flight_;
  return p;
}

void MockServer::Loop::offload(evhttp_request* req, util::HttpRequest in, bool to_upstream) {
  RequestHandler handler = server->handler_;
  if (to_upstream) {
    if (server->forwarding_->fetch_add(1) >= kMaxForwarding) {
      --*server->forwarding_;
      send(req,
           error_response(
               503, "the upstream is busy: " + std::to_string(kMaxForwarding) + " requests are being proxied already",
               "mock.proxy.busy"),
           true);
      return;
    }
    handler = [engine = server->engine_, count = server->forwarding_](const util::HttpRequest& r) {
      struct Done {
        std::atomic<int>& count;
        ~Done() { --count; }
      } done{*count};
      return engine->forward(r);
    };
  }
  Pending* p = track(req);
  p->working = true;
  reap_workers(false);
  auto worker = std::make_shared<Worker>();
  worker->thread = std::thread([handler = std::move(handler), in = std::move(in), box = mailbox, p, worker] {
    Reply reply = answer(handler, in);
    std::lock_guard lock(box->mu);
    worker->past_work = true;
    if (!box->open) return;
    box->done.emplace_back(p, std::move(reply));
    event_active(box->wake, EV_READ, 0);
  });
  workers.push_back(std::move(worker));
}

void MockServer::Loop::reap_workers(bool all) {
  std::vector<std::pair<std::shared_ptr<Worker>, bool>> reaped;  // with whether it is past its work
  {
    std::lock_guard lock(mailbox->mu);
    for (auto it = workers.begin(); it != workers.end();) {
      const bool past_work = (*it)->past_work;
      if (!past_work && !all) {
        ++it;
        continue;
      }
      reaped.emplace_back(std::move(*it), past_work);
      it = workers.erase(it);
    }
  }
  for (auto& [w, past_work] : reaped) {
    if (past_work)
      w->thread.join();  // it only returns now: this waits for its thread-local state to go
    else
      w->thread.detach();
  }
}

void MockServer::Loop::deliver() {
  std::vector<std::pair<Pending*, Reply>> done;
  {
    std::lock_guard lock(mailbox->mu);
    done.swap(mailbox->done);
  }
  reap_workers(false);
  for (auto& [p, reply] : done) {
    p->working = false;
    p->reply = std::move(reply);
    p->arm(std::max(0, p->reply.delay_ms));  // fire() answers, or frees the request if its client left
  }
}

void MockServer::Loop::defer(evhttp_request* req, Reply reply) {
  Pending* p = track(req);
  p->reply = std::move(reply);
  p->arm(std::max(0, p->reply.delay_ms));
}

void MockServer::Loop::fire(Pending* p) {
  if (p->working) return;  // not computed yet: deliver() starts the timer again
  if (!p->conn) {          // the client is gone: nothing to answer, only the request to free
    evhttp_request_free(p->req);
    forget(p);
    return;
  }
  switch (p->reply.fault) {
    case Fault::none:
    case Fault::malformed_body:
      send(p->req, p->reply.response, true);
      forget(p);
      return;
    case Fault::connection_reset:
      drop(p, true);
      return;
    case Fault::empty_response:
      drop(p, false);
      return;
    case Fault::timeout: {
      if (p->holding || draining) {
        drop(p, false);
        return;
      }
      p->holding = true;
      p->arm(p->reply.hold_ms);
      return;
    }
    case Fault::slow_drip: {
      if (!p->started) {
        send(p->req, p->reply.response, false);
        p->started = true;
      }
      const std::string& body = p->reply.response.body;
      if (std::size_t n = std::min(p->reply.drip.chunk_bytes, body.size() - p->sent)) {
        evbuffer* chunk = evbuffer_new();
        evbuffer_add(chunk, body.data() + p->sent, n);
        evhttp_send_reply_chunk(p->req, chunk);
        evbuffer_free(chunk);
        p->sent += n;
      }
      if (p->sent >= body.size()) {
        evhttp_send_reply_end(p->req);
        forget(p);
        return;
      }
      p->arm(p->reply.drip.interval_ms);
      return;
    }
  }
}

void MockServer::Loop::forget(Pending* p) {
  if (p->conn)
    pending.erase(p->conn);
  else
    orphans.erase(std::remove_if(orphans.begin(), orphans.end(), [p](const auto& o) { return o.get() == p; }),
                  orphans.end());
  --server->in_flight_;
}

void MockServer::Loop::drop(Pending* p, bool reset) {
  evhttp_connection* conn = p->conn;
  evhttp_request* req = p->req;
  forget(p);
  if (!conn) {
    evhttp_request_free(req);
    return;
  }
  if (reset) {
    // SO_LINGER with a zero timeout turns the last close into a TCP RST ("connection reset by
    // peer"). evhttp would shut the socket down (a FIN) before closing it, so the connection
    // is closed here, by putting a fresh unconnected socket in its descriptor's place.
    if (bufferevent* bev = evhttp_connection_get_bufferevent(conn)) {
      int fd = bufferevent_getfd(bev);
      linger l{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      int placeholder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (placeholder >= 0) {
        ::dup2(placeholder, fd);
        ::close(placeholder);
      }
    }
  }
  evhttp_connection_free(conn);  // frees the request still queued on it
}

}  // namespace mockserver
