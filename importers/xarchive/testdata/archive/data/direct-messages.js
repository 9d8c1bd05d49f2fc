window.YTD.direct_messages.part0 = [
  {
    "dmConversation" : {
      "conversationId" : "1122334455-901234567890123456",
      "messages" : [
        {
          "messageCreate" : {
            "recipientId" : "901234567890123456",
            "reactions" : [],
            "urls" : [],
            "text" : "Arrête.",
            "mediaUrls" : [],
            "senderId" : "1122334455",
            "id" : "1855100000000000002",
            "createdAt" : "2024-11-09T10:05:00.123Z",
            "editHistory" : []
          }
        },
        {
          "messageCreate" : {
            "recipientId" : "1122334455",
            "reactions" : [
              {
                "senderId" : "1122334455",
                "reactionKey" : "sad",
                "eventId" : "1855100000000000009",
                "createdAt" : "2024-11-09T10:04:00.000Z"
              }
            ],
            "urls" : [],
            "text" : "t'es finie &lt;3\nsur ta vie 🔪",
            "mediaUrls" : [],
            "senderId" : "901234567890123456",
            "id" : "1855100000000000001",
            "createdAt" : "2024-11-09T10:01:30.597Z",
            "editHistory" : []
          }
        }
      ]
    }
  },
  {
    "dmConversation" : {
      "conversationId" : "5550001-1122334455",
      "messages" : [
        {
          "messageCreate" : {
            "recipientId" : "1122334455",
            "reactions" : [],
            "urls" : [],
            "text" : "on a ton adresse &amp; ton numéro",
            "mediaUrls" : [
              "https://ton.twitter.com/dm/1855100000000000003/1855100000000000004/AbCd.jpg"
            ],
            "senderId" : "5550001",
            "id" : "1855100000000000003",
            "createdAt" : "2024-11-09T10:02:00.000Z"
          }
        },
        {
          "messageCreate" : {
            "recipientId" : "1122334455",
            "text" : 12345,
            "senderId" : "5550001",
            "id" : "1855100000000000005",
            "createdAt" : "2024-11-09T10:03:00.000Z"
          }
        }
      ]
    }
  }
]