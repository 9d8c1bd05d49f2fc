window.YTD.direct_messages.part0 = [
  {
    "dmConversation" : {
      "conversationId" : "424242-1122334455",
      "messages" : [
        {
          "messageCreate" : {
            "recipientId" : "1122334455",
            "text" : "salut",
            "senderId" : "424242",
            "id" : "1400000000000000010",
            "createdAt" : "2021-06-01T09:03:00.000Z"
          }
        }
      ]
    }
  }
]