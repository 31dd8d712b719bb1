// The inside of MockServer (server.cpp, deferred.cpp): one event loop with its connections and
// its answers given later. Private to the mockserver module; nothing outside includes it.
#pragma once

#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>

#include <chrono>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "mockserver/server.hpp"

namespace mockserver {

// An answer given later than the request: after a delay, as a fault, or dripped. evhttp reads
// no further request on a connection until the current one is answered, so a connection has at
// most one Pending. The loop owns it (pending, then orphans once its client left); it owns its
// timer, which fires Loop::fire until the answer is written or dropped.
struct Pending {
  Pending(MockServer::Loop* owner, evhttp_request* request);
  ~Pending();
  Pending(const Pending&) = delete;
  Pending& operator=(const Pending&) = delete;
  void arm(int ms);  // fire again in ms milliseconds

  MockServer::Loop* loop = nullptr;
  evhttp_request* req = nullptr;
  // Null once the client went away: evhttp then detaches the request from the connection and
  // leaves it to us to free.
  evhttp_connection* conn = nullptr;
  event* timer = nullptr;
  Reply reply;
  bool working = false;  // a worker thread is still computing the reply
  bool holding = false;  // timeout fault: in its hold phase
  std::size_t sent = 0;  // slow drip: body bytes sent so far
  bool started = false;  // slow drip: status line and headers sent
};

// The HTTPS module, loaded on first use and kept for the life of the process.
struct MockServer::TlsContext {
  using ContextNew = void* (*)(const char*, const char*, char*, std::size_t);
  using ContextFree = void (*)(void*);
  using BuffereventNew = bufferevent* (*)(event_base*, void*);
  ContextFree context_free = nullptr;
  BuffereventNew bufferevent_new = nullptr;
  void* context = nullptr;
  ~TlsContext() {
    if (context) context_free(context);
  }
};

// A thread computing one answer off the loop. It is joined once finished (its thread-local
// state, OpenSSL's error queue among it, is freed only as the thread exits: a thread still
// exiting when the process ends would leave that behind); one still working when the loop is
// destroyed is detached and its answer dropped.
struct Worker {
  std::thread thread;
  bool past_work = false;  // under Mailbox::mu: its answer is handed over (or dropped)
};

// Answers computed off the loop (a fixture posted to the admin API is parsed and indexed by a
// worker, so a large one never stops the serving) come back through here.
struct Mailbox {
  std::mutex mu;
  bool open = true;  // false once the loop is gone: late answers are dropped
  event* wake = nullptr;
  std::vector<std::pair<Pending*, Reply>> done;
};

struct MockServer::Loop {
  MockServer* server = nullptr;
  event_base* base = nullptr;
  evhttp* http = nullptr;
  evhttp_bound_socket* bound = nullptr;
  std::thread thread;
  std::unordered_map<evhttp_connection*, std::unique_ptr<Pending>> pending;  // by connection
  std::vector<std::unique_ptr<Pending>> orphans;                             // their client went away
  // Connections with a request not yet fully answered (written out): what a drain waits for.
  std::unordered_set<evhttp_connection*> answering;
  bool draining = false;
  std::chrono::steady_clock::time_point drain_deadline;
  event* drain_timer = nullptr;
  // Connections: a new one waits in fresh (its bufferevent referenced) until the next loop
  // turn tells its evhttp_connection; known ones are kept least recently active first.
  std::vector<bufferevent*> fresh;
  event* register_ev = nullptr;
  std::list<evhttp_connection*> lru;
  std::unordered_map<evhttp_connection*, std::list<evhttp_connection*>::iterator> conns;
  std::size_t open = 0;  // accepted and not yet closed, on this loop
  std::size_t cap = 0;   // this loop's share of the connection cap
  evconnlistener* listener = nullptr;
  bool accepting = true;
  bool paused = false;  // out of descriptors: accepting again after resume_ev
  std::size_t evicted_this_turn = 0;
  event* resume_ev = nullptr;
  bool closing = false;
  std::shared_ptr<Mailbox> mailbox = std::make_shared<Mailbox>();
  std::list<std::shared_ptr<Worker>> workers;  // touched by the loop's thread only

  ~Loop() {
    closing = true;
    {
      std::lock_guard lock(mailbox->mu);
      mailbox->open = false;
      for (auto& [p, reply] : mailbox->done) p->working = false;
      mailbox->done.clear();
    }
    reap_workers(true);
    // Not running any more: give every pending request back to evhttp, then free the server.
    while (!pending.empty()) drop(pending.begin()->second.get(), false);
    while (!orphans.empty()) drop(orphans.back().get(), false);
    for (bufferevent* bev : fresh) bufferevent_decref(bev);
    fresh.clear();
    if (http) evhttp_free(http);
    for (event* e : {drain_timer, register_ev, resume_ev, mailbox->wake})
      if (e) event_free(e);
    if (base) event_base_free(base);
  }

  void handle(evhttp_request* req);
  void completed(evhttp_request* req);
  void send(evhttp_request* req, const util::HttpResponse& response, bool body_now);
  Pending* track(evhttp_request* req);  // a Pending for req, owned by this loop
  void defer(evhttp_request* req, Reply reply);
  void fire(Pending* p);
  void forget(Pending* p);            // p's request was answered (or freed): p is destroyed
  void drop(Pending* p, bool reset);  // close p's connection without an answer
  void connection_closed(evhttp_connection* conn);
  void begin_drain();
  void check_drain();
  bufferevent* new_connection();
  void register_fresh();
  bool evict_idle();
  evhttp_connection* idle_connection();
  void connection_gone();
  void update_accepting();
  void accept_failed(int error);
  // Answered by a worker thread: the handler (a posted fixture), or with to_upstream the engine's
  // forward (proxy fall-through), at most kMaxForwarding of those at once (then 503).
  void offload(evhttp_request* req, util::HttpRequest in, bool to_upstream = false);
  void deliver();
  // Joins the workers past their work; with all (the loop is closing), detaches the others.
  void reap_workers(bool all);
};

// The handler's answer, or a 500 if it threw (nothing may escape into libevent's loop).
Reply answer(const RequestHandler& handler, const util::HttpRequest& in);

}  // namespace mockserver
