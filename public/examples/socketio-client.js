// The chapter's Socket.IO client. `io()` with no URL connects to the server that served this
// page (the chapter names its own localhost port); the rest is the chapter's code.
const socket = io();

socket.on("connect", () => {
  console.log("Connected to server");
  document.getElementById("status").textContent = "Connected to server";
  socket.send("Hello, Server!");
});

socket.on("message", (data) => {
  console.log(data);
  const item = document.createElement("li");
  item.textContent = data;
  document.getElementById("messages").append(item);
});

socket.on("disconnect", (reason) => {
  document.getElementById("status").textContent = `Disconnected: ${reason}`;
});
