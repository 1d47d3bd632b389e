"""The flow algorithms under the duty solver: Dinic's max-flow and a min-cost flow (pure Python).

Arcs are numbered in pairs (``e`` and its reverse ``e ^ 1``). `MaxFlow` answers the feasibility
questions of level (a), `MinCostFlow` (successive shortest paths with potentials, Dinic's blocking
flows on the admissible arcs) the convex costs of levels (b) and (c); see `desktop.core.duty`.
"""

from __future__ import annotations

import heapq

__all__ = ["MaxFlow", "MinCostFlow", "dinic"]


def dinic(
    adj: list[list[int]],
    head: list[int],
    cap: list[int],
    s: int,
    t: int,
    limit: int,
    allowed: list[bool] | None = None,
) -> int:
    """Push up to ``limit`` units from s to t by Dinic's blocking flows, in place on ``cap``.

    Arcs are numbered in pairs (``e`` and its reverse ``e ^ 1``), ``head[e]`` is the arc's end.
    With ``allowed``, only the arcs marked True may carry flow (the admissible arcs of the
    min-cost flow); a reverse arc is allowed when its arc is. The depth-first search is
    iterative, so a long plan (every day of several years) cannot overflow the stack.
    """
    n = len(adj)
    total = 0
    while total < limit:
        level = [-1] * n
        level[s] = 0
        queue = [s]
        for u in queue:
            for e in adj[u]:
                v = head[e]
                if cap[e] > 0 and level[v] < 0 and (allowed is None or allowed[e]):
                    level[v] = level[u] + 1
                    queue.append(v)
        if level[t] < 0:
            break
        it = [0] * n
        path: list[int] = []
        u = s
        while total < limit:
            if u == t:
                got = min(limit - total, min(cap[e] for e in path))
                for e in path:
                    cap[e] -= got
                    cap[e ^ 1] += got
                total += got
                path.clear()
                u = s
                continue
            arcs = adj[u]
            i = it[u]
            while i < len(arcs):
                e = arcs[i]
                v = head[e]
                if cap[e] > 0 and level[v] == level[u] + 1 and (allowed is None or allowed[e]):
                    break
                i += 1
            it[u] = i
            if i < len(arcs):
                path.append(arcs[i])
                u = head[arcs[i]]
            elif path:  # dead end: step back and skip the arc that led here
                e = path.pop()
                u = head[e ^ 1]
                it[u] += 1
            else:
                break
    return total


class MaxFlow:
    """Maximum flow (Dinic) on a small graph with integer capacities.

    `set_capacity` changes an arc's capacity for the next `run`; every run starts from zero flow.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.head: list[int] = []
        self.cap: list[int] = []
        self._capacity: list[int] = []

    def add_arc(self, u: int, v: int, cap: int) -> int:
        e = len(self.head)
        self.head += (v, u)
        self._capacity += (cap, 0)
        self.cap += (cap, 0)
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        return e

    def set_capacity(self, e: int, cap: int) -> None:
        self._capacity[e] = cap

    def flow(self, e: int) -> int:
        """The flow on arc e after the last run."""
        return self._capacity[e] - self.cap[e]

    def run(self, s: int, t: int) -> int:
        """The maximum flow value from s to t (starting from zero flow)."""
        self.cap[:] = self._capacity
        return dinic(self.adj, self.head, self.cap, s, t, sum(self._capacity[e] for e in self.adj[s]))


class MinCostFlow:
    """Minimum-cost flow by the primal–dual method.

    Dijkstra with node potentials finds the shortest-path distances in the residual network
    (reduced costs stay non-negative), then blocking flows (Dinic) are pushed along the arcs of
    zero reduced cost: all the shortest paths of a length at once. Costs are integers (Python
    ints, so the lexicographic weights can be as large as needed) and must be non-negative when
    the run starts. A convex cost on an arc is modelled by parallel unit arcs with
    non-decreasing costs.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.adj: list[list[int]] = [[] for _ in range(n)]
        self.head: list[int] = []
        self.cap: list[int] = []
        self.cost: list[int] = []
        self._capacity: list[int] = []

    def add_arc(self, u: int, v: int, cap: int, cost: int) -> int:
        if cost < 0:
            raise ValueError("MinCostFlow needs non-negative costs")
        e = len(self.head)
        self.head += (v, u)
        self.cap += (cap, 0)
        self._capacity += (cap, 0)
        self.cost += (cost, -cost)
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        return e

    def flow(self, e: int) -> int:
        return self._capacity[e] - self.cap[e]

    def run(self, s: int, t: int, amount: int) -> tuple[int, int]:
        """Send up to ``amount`` units from s to t at minimum cost: (units sent, total cost)."""
        head, cap, cost, adj, n = self.head, self.cap, self.cost, self.adj, self.n
        tail = [head[e ^ 1] for e in range(len(head))]
        pot = [0] * n
        sent = 0
        while sent < amount:
            dist: list[int | None] = [None] * n  # None: not reached
            dist[s] = 0
            heap = [(0, s)]
            while heap:
                du, u = heapq.heappop(heap)
                if du != dist[u]:
                    continue
                pu = pot[u]
                for e in adj[u]:
                    if cap[e] > 0:
                        v = head[e]
                        nd = du + cost[e] + pu - pot[v]
                        dv = dist[v]
                        if dv is None or nd < dv:
                            dist[v] = nd
                            heapq.heappush(heap, (nd, v))
            dt = dist[t]
            if dt is None:
                break
            # New potentials; nodes farther than t are raised by dist(t) only, which keeps
            # every reduced cost non-negative.
            for v in range(n):
                dv = dist[v]
                pot[v] += dt if dv is None or dv > dt else dv
            allowed = [cost[e] + pot[tail[e]] - pot[head[e]] == 0 for e in range(len(head))]
            got = dinic(adj, head, cap, s, t, amount - sent, allowed)
            if not got:  # pragma: no cover - a shortest path always exists after Dijkstra
                break
            sent += got
        total = sum(cost[e] * (self._capacity[e] - cap[e]) for e in range(0, len(head), 2))
        return sent, total
