window.YTD.direct_messages.part0 = [
  {
    "dmConversation" : {
      "conversationId" : "424242-1122334455",
      "messages" : [
        {
          "messageCreate" : {
            "recipientId" : "1122334455",
            "text" : "toujours là",
            "senderId" : "424242",
            "id" : "1855100000000000099",
            "createdAt" : "2024-11-09T10:03:00.000Z"
          }
        }
      ]
    }
  }
]