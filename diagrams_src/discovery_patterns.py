"""The two classic answers to "which instance gets this request", one above the other.

Server-side discovery puts a router between client and instances, so the client knows one
address and the router consults the registry. Client-side discovery ships a library inside
every client that fetches the registry and picks an instance itself. The registration edges
differ too: at the top a third party (the platform) writes the registry; at the bottom each
instance registers itself and must keep renewing its lease.

The registries are drawn with a neutral storage icon: neither panel is a particular product
(the post describes Consul separately, as agent- and DNS-based). Stacked top to bottom, with
15-16 px text, so the picture stays legible at the post column's width.
"""

import _style
from _style import icon, step, store
from diagrams import Cluster, Diagram, Edge
from diagrams.onprem.client import Client
from diagrams.onprem.compute import Server

LABEL = "15"


def flow(label: str = ""):
    return _style.flow(label, fontsize=LABEL)


def act(label: str):
    return _style.act(label, fontsize=LABEL)


def watch(label: str):
    return _style.watch(label, fontsize=LABEL)


with Diagram(
    "",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "0.8", "ranksep": "0.8", "fontsize": LABEL},
    node_attr={"fontsize": "16"},
):
    with Cluster("server-side discovery", graph_attr={"fontsize": LABEL}):
        client = icon(Client, "client\n(knows one address)")
        router = step("router or\nload balancer")
        registry_s = store("service registry")
        registrar = icon(Server, "registrar")
        orders = [icon(Server, "orders-1"), icon(Server, "orders-2")]
        client >> flow("request") >> router
        router >> watch("which\ninstances?") >> registry_s
        router >> flow("forward") >> orders[0]
        registrar >> act("register,\nderegister") >> registry_s
        registrar >> watch("health\nchecks") >> orders[1]

    with Cluster("client-side discovery", graph_attr={"fontsize": LABEL}):
        app = icon(Client, "client with a\ndiscovery library")
        registry_c = store("service registry\n(a Eureka server)")
        payments = [icon(Server, "payments-1"), icon(Server, "payments-2")]
        app >> watch("fetch every 30 s,\ncache the copy") >> registry_c
        app >> flow("request,\ndirect") >> payments[0]
        payments[0] >> act("") >> registry_c
        payments[1] >> act("register,\nheartbeat every 30 s") >> registry_c

    # Stack the panels: the client-side panel starts below the server-side one.
    registry_s >> Edge(style="invis") >> app
